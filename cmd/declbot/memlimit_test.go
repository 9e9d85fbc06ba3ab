package main

import (
	"errors"
	"testing"
)

func TestCgroupMemoryLimit(t *testing.T) {
	const unit = "0::/system.slice/declbot.service\n"
	tests := []struct {
		name   string
		env    string
		files  map[string]string
		want   int64
		wantOK bool
	}{
		{"MemoryMax=512M", "", map[string]string{
			"/proc/self/cgroup": unit,
			"/sys/fs/cgroup/system.slice/declbot.service/memory.max": "536870912\n",
		}, 429496728, true},
		{"a parent's limit is smaller", "", map[string]string{
			"/proc/self/cgroup": unit,
			"/sys/fs/cgroup/system.slice/declbot.service/memory.max": "max\n",
			"/sys/fs/cgroup/system.slice/memory.max":                 "1000000000\n",
		}, 800000000, true},
		{"no limit", "", map[string]string{
			"/proc/self/cgroup": unit,
			"/sys/fs/cgroup/system.slice/declbot.service/memory.max": "max\n",
		}, 0, false},
		{"GOMEMLIMIT wins", "400MiB", map[string]string{
			"/proc/self/cgroup": unit,
			"/sys/fs/cgroup/system.slice/declbot.service/memory.max": "536870912\n",
		}, 0, false},
		{"cgroup v1 only", "", map[string]string{"/proc/self/cgroup": "4:memory:/user.slice\n"}, 0, false},
		{"a container's own namespace", "", map[string]string{
			"/proc/self/cgroup":         "0::/\n",
			"/sys/fs/cgroup/memory.max": "268435456",
		}, 214748360, true},
		{"garbage", "", map[string]string{
			"/proc/self/cgroup":           "0::/../../x\n",
			"/sys/fs/cgroup/x/memory.max": "-5",
		}, 0, false},
		{"no proc", "", map[string]string{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := func(p string) ([]byte, error) {
				if s, ok := tt.files[p]; ok {
					return []byte(s), nil
				}
				return nil, errors.New("no such file")
			}
			got, ok := cgroupMemoryLimit(func(k string) string {
				if k == "GOMEMLIMIT" {
					return tt.env
				}
				return ""
			}, read)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("cgroupMemoryLimit = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
