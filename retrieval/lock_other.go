//go:build !unix

package retrieval

// lockFile is a no-op where flock is not available: within one process
// the reindexer already runs one rebuild at a time.
func lockFile(path string) (func(), error) { return func() {}, nil }
