package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 12 item 5: one slow client no longer breaks graceful shutdown.
// Close (what SIGTERM runs) returns nil with a client stalled in its
// headers, one stalled in a body and an idle keep-alive connection open.
// Before, it failed after 30 s with "context deadline exceeded" (exit 1).
func TestShutdownWithSlowClients(t *testing.T) {
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	dial := func(first string) net.Conn {
		c, err := net.Dial("tcp", m.Addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprint(c, first)
		return c
	}
	dial("POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\nContent-Le")
	dial("POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n{\"grant_type\":")
	idle := &http.Client{Transport: &http.Transport{}}
	if resp, err := idle.Get(m.base + "/healthz"); err == nil {
		resp.Body.Close()
	}
	time.Sleep(100 * time.Millisecond) // the stalled requests are in their handlers
	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatalf("Close with slow clients: %v", err)
	}
	t.Logf("shut down in %v", time.Since(start).Round(time.Millisecond))
}

// --admin-token shorter than 16 characters is refused.
func TestShortAdminTokenRefused(t *testing.T) {
	m := NewMain(&lockedBuffer{}, &lockedBuffer{})
	err := m.ParseFlags([]string{"--admin-token", "short-token"})
	if err == nil || !strings.Contains(err.Error(), "at least 16") {
		t.Fatalf("--admin-token short-token: %v", err)
	}
	if err := m.ParseFlags([]string{"--admin-token", "sixteen-chars-ok"}); err != nil {
		t.Fatal(err)
	}
	if err := m.ParseFlags([]string{"--tls-cert", "c.pem"}); err == nil || !strings.Contains(err.Error(), "together") {
		t.Fatalf("--tls-cert alone: %v", err)
	}
}

// --tls-cert/--tls-key serve HTTPS; plain HTTP beyond loopback warns.
func TestTLSAndPlainWarning(t *testing.T) {
	cert, key := selfSigned(t)
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--tls-cert", cert, "--tls-key", key)
	defer m.Close()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get("https://" + m.Addr() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("https healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	if strings.Contains(m.stderr.String(), "without TLS") {
		t.Errorf("warned with TLS on")
	}

	plain := startMain(t, "--addr", "0.0.0.0:0", "--data", t.TempDir())
	defer plain.Close()
	if !strings.Contains(plain.stderr.String(), "without TLS") {
		t.Errorf("no warning listening on 0.0.0.0 without TLS:\n%s", plain.stderr)
	}
	local := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	defer local.Close()
	if strings.Contains(local.stderr.String(), "without TLS") {
		t.Errorf("warned on loopback")
	}
}

// selfSigned writes a throwaway certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wxads test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}
