package main

import (
	"path"
	"strconv"
	"strings"
)

// cgroupMemoryLimit returns the soft memory limit for Go's collector that
// fits the cgroup the process runs in: 80% of the smallest memory.max of
// its cgroup (v2) and the cgroups above it. Go's collector does not know
// that limit: by default it lets the heap grow to twice what is live, and
// a reindex of a large corpus over a running index then passes a
// systemd MemoryMax and is killed. It returns false when GOMEMLIMIT is
// set (the operator's choice wins) or no limit is found (no cgroup v2, or
// memory.max is "max"). getenv and readFile stand for os.Getenv and
// os.ReadFile.
func cgroupMemoryLimit(getenv func(string) string, readFile func(string) ([]byte, error)) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	data, err := readFile("/proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	dir := ""
	for _, line := range strings.Split(string(data), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			dir = path.Clean("/" + p)
		}
	}
	if dir == "" {
		return 0, false
	}
	var limit int64
	for {
		if b, err := readFile(path.Join("/sys/fs/cgroup", dir, "memory.max")); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (limit == 0 || n < limit) {
				limit = n
			}
		}
		if dir == "/" {
			break
		}
		dir = path.Dir(dir)
	}
	if limit == 0 {
		return 0, false
	}
	return limit / 10 * 8, true
}
