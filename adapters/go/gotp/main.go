// otp-line/1 adapter for github.com/xlzd/gotp (Debian's golang-github-xlzd-gotp-dev,
// 0.0~git20181030.c8557ba-3 on Debian 12), built offline by `scripts/adapters.sh install` with
// Debian's Go:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o target/peers/adapters/go/gotp ./adapters/go/gotp
//
// Started as: target/peers/adapters/go/gotp
//
//   - TOTP: gotp.NewTOTP(secret, digits, interval, &gotp.Hasher{HashName, Digest}).At(t), t as
//     a Go int (64-bit) in Unix seconds. gotp computes the counter as t / interval (Go integer
//     division, truncation toward zero: time -1 is counter 0) and panics "input must be positive
//     integer" for a negative counter; an interval of 0 panics with a division by zero. No T0
//     option: t0 != 0 is answered `unsupported`. The code is
//     fmt.Sprintf("%0<digits>d", code % int(math.Pow10(digits))).
//   - HOTP: gotp.NewHOTP(secret, digits, hasher).At(counter), the counter a Go int: counters
//     above 2^63-1 are answered `unsupported` (never passed wrapped).
//   - Hasher: {"sha1", sha1.New}, {"sha256", sha256.New}, {"sha512", sha512.New} (what the
//     README shows for SHA256; nil would mean SHA1).
//   - Keys: gotp takes Base32 text only. A `base32` key is passed exactly as given (gotp adds
//     missing `=` padding to len%8 and calls base32.StdEncoding.DecodeString: no uppercasing,
//     no space removal; an error panics "decode secret failed"). A `hex` key is CONVERTED by
//     this adapter: hex-decoded, then base32.StdEncoding without padding.
//   - A panic inside the library is recovered and answered `reject <panic value>` (a runtime
//     error as `reject runtime error: ...`).
//   - VERIFY: TOTP.Verify(candidate, t), the library's own verifier: `otp == t.At(timestamp)`,
//     a plain string comparison of the candidate with the code of the exact step. It has no
//     window: window `default` and window 0 call it, a window >= 1 is `unsupported`. The
//     candidate (decoded from code-hex) is passed untouched.
//   - `mode reuse`: one *gotp.TOTP / *gotp.HOTP per (kind, algorithm, digits, period, encoding,
//     key); a verify uses the TOTP of the same parameters. gotp's byteSecret() appends the `=`
//     padding to the object's secret field on first use (a change the object keeps).
//   - Numbers that do not fit a Go int (digits, period, time): `unsupported`.
package main

import (
	"bufio"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/xlzd/gotp"
)

type unsupported string
type malformed struct{}

var hashers = map[string]*gotp.Hasher{
	"SHA1":   {HashName: "sha1", Digest: sha1.New},
	"SHA256": {HashName: "sha256", Digest: sha256.New},
	"SHA512": {HashName: "sha512", Digest: sha512.New},
}

var (
	integer  = regexp.MustCompile(`^-?[0-9]+$`)
	unsigned = regexp.MustCompile(`^[0-9]+$`)
)

var (
	reuse bool
	totps = map[string]*gotp.TOTP{}
	hotps = map[string]*gotp.HOTP{}
)

func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " "))
}

// goInt parses -?[0-9]+ (else malformed) into a Go int (else unsupported).
func goInt(s, what string) int {
	if !integer.MatchString(s) {
		panic(malformed{})
	}
	v, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		panic(unsupported(what + " beyond a Go int"))
	}
	return int(v)
}

func secretOf(encoding, key string) string {
	switch encoding {
	case "hex":
		raw, err := hex.DecodeString(key)
		if err != nil {
			panic(fmt.Errorf("adapter: bad hex key: %v", err))
		}
		return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	case "base32":
		return key
	}
	panic(malformed{})
}

func fields(line string, n int) []string {
	parts := strings.SplitN(line, " ", n)
	if len(parts) == n-1 { // an empty key written without its separating space
		parts = append(parts, "")
	}
	if len(parts) != n {
		panic(malformed{})
	}
	return parts
}

func hasher(name string) *gotp.Hasher {
	h, ok := hashers[name]
	if !ok {
		panic(malformed{})
	}
	return h
}

// totpOf returns the TOTP for the parameters (cached under `mode reuse`).
func totpOf(alg string, digits, period int, t0, encoding, key string) *gotp.TOTP {
	h := hasher(alg)
	if encoding != "hex" && encoding != "base32" {
		panic(malformed{})
	}
	if strings.TrimLeft(strings.TrimPrefix(t0, "-"), "0") != "" {
		panic(unsupported("t0 (gotp has no T0 option)"))
	}
	id := strings.Join([]string{alg, strconv.Itoa(digits), strconv.Itoa(period), encoding, key}, " ")
	if reuse {
		if t, ok := totps[id]; ok {
			return t
		}
	}
	t := gotp.NewTOTP(secretOf(encoding, key), digits, period, h)
	if reuse {
		totps[id] = t
	}
	return t
}

func handle(line string) (answer string) {
	defer func() {
		if r := recover(); r != nil {
			switch v := r.(type) {
			case malformed:
				answer = "reject malformed request"
			case unsupported:
				answer = "unsupported " + string(v)
			case error:
				answer = "reject " + oneLine(v.Error())
			default:
				answer = "reject " + oneLine(fmt.Sprint(v))
			}
		}
	}()
	head := strings.SplitN(line, " ", 2)[0]
	switch head {
	case "mode":
		switch line {
		case "mode reuse":
			reuse = true
			return "ok"
		case "mode construct":
			reuse = false
			return "ok"
		}
		panic(malformed{})
	case "totp":
		p := fields(line, 8)
		if !integer.MatchString(p[4]) {
			panic(malformed{})
		}
		digits, period, t := goInt(p[2], "digits"), goInt(p[3], "period"), goInt(p[5], "time")
		totp := totpOf(p[1], digits, period, p[4], p[6], p[7])
		return "ok " + oneLine(totp.At(t))
	case "verify":
		p := fields(line, 10)
		if !integer.MatchString(p[4]) {
			panic(malformed{})
		}
		digits, period, t := goInt(p[2], "digits"), goInt(p[3], "period"), goInt(p[5], "time")
		if p[6] != "default" {
			if !unsigned.MatchString(p[6]) {
				panic(malformed{})
			}
			if strings.TrimLeft(p[6], "0") != "" {
				panic(unsupported("window (gotp's TOTP.Verify checks the exact step only)"))
			}
		}
		candidate, err := hex.DecodeString(p[7])
		if err != nil {
			panic(malformed{})
		}
		totp := totpOf(p[1], digits, period, p[4], p[8], p[9])
		if totp.Verify(string(candidate), t) {
			return "ok accept"
		}
		return "ok refuse"
	case "hotp":
		p := fields(line, 6)
		h := hasher(p[1])
		digits := goInt(p[2], "digits")
		if !unsigned.MatchString(p[3]) {
			panic(malformed{})
		}
		counter, err := strconv.ParseUint(p[3], 10, 64)
		if err != nil {
			panic(malformed{})
		}
		if counter > uint64(int(^uint(0)>>1)) {
			panic(unsupported("counter above 2^63-1 (HOTP.At takes a Go int)"))
		}
		if p[4] != "hex" && p[4] != "base32" {
			panic(malformed{})
		}
		id := strings.Join([]string{p[1], strconv.Itoa(digits), p[4], p[5]}, " ")
		hotp, ok := hotps[id]
		if !reuse || !ok {
			hotp = gotp.NewHOTP(secretOf(p[4], p[5]), digits, h)
			if reuse {
				hotps[id] = hotp
			}
		}
		return "ok " + oneLine(hotp.At(int(counter)))
	}
	panic(malformed{})
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadString('\n')
		if line == "" && err != nil {
			if err != io.EOF {
				fmt.Fprintln(os.Stderr, "gotp adapter:", err)
			}
			return
		}
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")
		fmt.Fprintln(out, handle(line))
		out.Flush()
	}
}
