// Command c2sp-verifier checks a Ditchley ledger with nothing but the Go team's
// golang.org/x/mod/sumdb/note and sumdb/tlog packages: an independent implementation of
// signed notes, RFC 6962 hashing, tiles and proofs.
//
// It fetches the checkpoint and opens it with the given verifier key; reads the hash tiles
// through tlog.TileHashReader (which authenticates every tile against the signed root);
// recomputes the root; hashes every entry of every entry bundle and compares it with the
// level-0 hashes; and checks the node's inclusion proofs, consistency proofs and
// c2sp.org/tlog-proof receipts with tlog.CheckRecord and tlog.CheckTree.
//
// Usage: c2sp-verifier -ledger http://host:port/ledger/ -vkey KEY
// Exit status 0 when everything verified, 1 otherwise.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var ledger string

func get(path string) []byte {
	resp, err := http.Get(ledger + path)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		fail("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return body
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

// tiles reads c2sp.org/tlog-tiles hash tiles: Go's tile path "tile/8/L/N" without the height.
type tiles struct{}

func (tiles) Height() int { return 8 }

func (tiles) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, t := range ts {
		out[i] = get(strings.Replace(t.Path(), "tile/8/", "tile/", 1))
	}
	return out, nil
}

func (tiles) SaveTiles([]tlog.Tile, [][]byte) {}

// checkpoint opens a signed c2sp.org/tlog-checkpoint: origin, size, base64 root hash.
func checkpoint(msg []byte, verifier note.Verifier) (string, tlog.Tree) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint does not verify: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size %q: %v", lines[1], err)
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root %q: %v", lines[2], err)
	}
	return lines[0], tlog.Tree{N: size, Hash: root}
}

func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fail("hash %q: %v", s, err)
		}
		out[i] = h
	}
	return out
}

func main() {
	flag.StringVar(&ledger, "ledger", "", "base URL of the ledger, ending in /ledger/")
	vkey := flag.String("vkey", "", "verifier key of the log")
	flag.Parse()
	verifier, err := note.NewVerifier(*vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	origin, tree := checkpoint(get("checkpoint"), verifier)
	if origin != verifier.Name() {
		fail("checkpoint origin %q is not the key's name %q", origin, verifier.Name())
	}
	reader := tlog.TileHashReader(tree, tiles{})
	root, err := tlog.TreeHash(tree.N, reader)
	if err != nil || root != tree.Hash {
		fail("tiles give root %v, checkpoint says %v (%v)", root, tree.Hash, err)
	}

	// Every entry hashes to its level-0 hash.
	for start := int64(0); start < tree.N; start += 256 {
		width := tree.N - start
		if width > 256 {
			width = 256
		}
		path := "tile/entries/" + strings.TrimPrefix(tlog.Tile{H: 8, L: 0, N: start / 256, W: int(width)}.Path(), "tile/8/0/")
		bundle := get(path)
		indexes := make([]int64, width)
		for i := range indexes {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		leaves, err := reader.ReadHashes(indexes)
		if err != nil {
			fail("level-0 hashes of %s: %v", path, err)
		}
		for i := int64(0); i < width; i++ {
			if len(bundle) < 2 {
				fail("%s ends after %d of %d entries", path, i, width)
			}
			n := int(bundle[0])<<8 | int(bundle[1])
			if len(bundle) < 2+n {
				fail("%s: entry %d is cut short", path, start+i)
			}
			if tlog.RecordHash(bundle[2:2+n]) != leaves[i] {
				fail("entry %d does not hash to its leaf", start+i)
			}
			bundle = bundle[2+n:]
		}
		if len(bundle) != 0 {
			fail("%s has %d bytes after its %d entries", path, len(bundle), width)
		}
	}

	// The node's proofs check against the signed root, for a spread of entries and sizes.
	for _, index := range []int64{0, tree.N / 3, tree.N / 2, tree.N - 1} {
		var p struct {
			Index int64    `json:"index"`
			Size  int64    `json:"size"`
			Root  string   `json:"root"`
			Proof []string `json:"proof"`
		}
		if err := json.Unmarshal(get(fmt.Sprintf("entries/%d/proof?size=%d", index, tree.N)), &p); err != nil {
			fail("proof of %d: %v", index, err)
		}
		leaf, err := reader.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
		if err != nil {
			fail("leaf %d: %v", index, err)
		}
		if err := tlog.CheckRecord(hashes(p.Proof), tree.N, tree.Hash, index, leaf[0]); err != nil {
			fail("inclusion proof of %d in %d: %v", index, tree.N, err)
		}

		receipt := get(fmt.Sprintf("entries/%d/receipt", index))
		blank := bytes.Index(receipt, []byte("\n\n"))
		if blank < 0 {
			fail("receipt of %d has no checkpoint", index)
		}
		lines := strings.Split(string(receipt[:blank]), "\n")
		if lines[0] != "c2sp.org/tlog-proof@v1" || lines[1] != fmt.Sprintf("index %d", index) {
			fail("receipt of %d starts %q", index, lines[:2])
		}
		_, signed := checkpoint(receipt[blank+2:], verifier)
		if err := tlog.CheckRecord(hashes(lines[2:]), signed.N, signed.Hash, index, leaf[0]); err != nil {
			fail("receipt of %d: %v", index, err)
		}
	}
	for _, size := range []int64{1, tree.N / 2, tree.N - 1, tree.N} {
		if size < 1 {
			continue
		}
		var c struct {
			Proof []string `json:"proof"`
		}
		if err := json.Unmarshal(get(fmt.Sprintf("consistency?from=%d&to=%d", size, tree.N)), &c); err != nil {
			fail("consistency from %d: %v", size, err)
		}
		old, err := tlog.TreeHash(size, reader)
		if err != nil {
			fail("root at %d: %v", size, err)
		}
		if err := tlog.CheckTree(hashes(c.Proof), tree.N, tree.Hash, size, old); err != nil {
			fail("consistency proof %d -> %d: %v", size, tree.N, err)
		}
	}
	fmt.Printf("OK %s size %d root %s\n", origin, tree.N, base64.StdEncoding.EncodeToString(tree.Hash[:]))
}
