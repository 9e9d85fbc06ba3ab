package insights

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"
)

// postgresEnv names a PostgreSQL server the tests may create databases
// on, as a URL (.ci/run starts one and sets it). Without it the
// PostgreSQL cases are skipped, except in CI (CI=true), where that fails.
const postgresEnv = "DECLBOT_TEST_POSTGRES"

var warnPostgres sync.Once

// openPostgres opens a store in a database of its own, dropped when the
// test ends, or returns nil when no server is configured outside CI.
func openPostgres(t testing.TB, policy Policy) *Store {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server)", postgresEnv)
		}
		warnPostgres.Do(func() { t.Logf("%s not set: PostgreSQL cases skipped", postgresEnv) })
		return nil
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "declbot_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	s, err := Open(context.Background(), Options{Database: u.String(), Questions: policy, Now: fixedClock(day0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return s
}

// TestPostgresShared opens one database twice, as two machines would:
// the migrations run once, and both hash alike.
func TestPostgresShared(t *testing.T) {
	s := openPostgres(t, KeepAll)
	if s == nil {
		t.Skip(postgresEnv + " not set")
	}
	dsn := os.Getenv(postgresEnv)
	u, _ := url.Parse(dsn)
	var db string
	s.db.QueryRow(`SELECT current_database()`).Scan(&db)
	u.Path = "/" + db
	other, err := Open(context.Background(), Options{Database: u.String(), Now: fixedClock(day0)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if s.hash("u") != other.hash("u") {
		t.Error("two stores on one database hash differently")
	}
	var n int
	other.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	steps, _ := loadMigrations(migrations)
	if n != len(steps) {
		t.Errorf("%d migrations recorded, want %d", n, len(steps))
	}
}
