//go:build !unix

package agentstate

func mkfifo(string) {}
