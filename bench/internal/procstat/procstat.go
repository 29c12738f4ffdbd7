// Package procstat reads a Linux process's memory and CPU use from /proc.
package procstat

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Status holds the fields of /proc/<pid>/status the benchmarks report.
type Status struct {
	// PeakRSS (VmHWM) and RSS (VmRSS) are resident set sizes in bytes.
	PeakRSS int64
	RSS     int64
	// Threads is the number of OS threads.
	Threads int
	// CPUs is the list of CPUs the process may run on (Cpus_allowed_list).
	CPUs string
}

// Read reads /proc/<pid>/status.
func Read(pid int) (Status, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Status{}, err
	}
	return parseStatus(raw)
}

func parseStatus(raw []byte) (Status, error) {
	var s Status
	found := 0
	for _, line := range bytes.Split(raw, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		val := strings.TrimSpace(string(v))
		switch string(k) {
		case "VmHWM":
			s.PeakRSS = kB(val)
			found++
		case "VmRSS":
			s.RSS = kB(val)
			found++
		case "Threads":
			s.Threads, _ = strconv.Atoi(val)
		case "Cpus_allowed_list":
			s.CPUs = val
		}
	}
	if found < 2 {
		return s, fmt.Errorf("procstat: no VmHWM/VmRSS (a kernel thread or a zombie?)")
	}
	return s, nil
}

func kB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	return n * 1024
}

// clockTick is USER_HZ, 100 on every Linux architecture Go supports.
const clockTick = 100

// CPUTime returns the user and system CPU time the process has used.
func CPUTime(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(raw)
}

func parseStat(raw []byte) (time.Duration, error) {
	// The command name is in parentheses and may hold spaces; fields after
	// the last ')' are space-separated: state is field 3, utime 14, stime 15.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, fmt.Errorf("procstat: bad stat line")
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("procstat: short stat line")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("procstat: bad utime/stime")
	}
	return time.Duration(u+s) * time.Second / clockTick, nil
}

// MiB formats a byte count in mebibytes.
func MiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
