// otp-line/1 adapter for github.com/pquerna/otp (Debian's golang-github-pquerna-otp-dev, 1.3.0
// on Debian 12), built offline by `scripts/adapters.sh install` with Debian's Go:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o target/peers/adapters/go/pquerna ./adapters/go/pquerna
//
// Started as: target/peers/adapters/go/pquerna
//
//   - TOTP: totp.GenerateCodeCustom(secret, time.Unix(t, 0), totp.ValidateOpts{Period, Digits,
//     Algorithm}) — time as a time.Time built from Unix seconds (no time zone involved). No T0
//     option: t0 != 0 is answered `unsupported`. A negative period cannot be put in the uint
//     Period: `unsupported`. (pquerna replaces Period 0 by 30 itself.)
//   - HOTP: hotp.GenerateCodeCustom(secret, counter uint64, hotp.ValidateOpts{Digits, Algorithm}).
//   - Keys: pquerna takes Base32 text only. `base32` keys are passed exactly as given (pquerna
//     trims surrounding spaces, pads, uppercases, then base32.StdEncoding). `hex` keys are
//     CONVERTED by this adapter: hex-decoded, then base32.StdEncoding without padding.
//   - VERIFY: totp.ValidateCustom(candidate, secret, time.Unix(t, 0), totp.ValidateOpts{Period,
//     Skew, Digits, Algorithm}) — the library's own verifier; the adapter compares nothing itself.
//     The window is Skew (a uint: steps on BOTH sides; ValidateCustom tries the current step,
//     then +1, -1, +2, -2, ...). Window `default` is Skew 1, what totp.Validate(passcode, secret)
//     uses (totp.Validate itself cannot be called: it fixes SHA1, 6 digits, 30 s and time.Now();
//     a ValidateOpts with Skew left unset would be 0, the exact step only). A negative window or
//     one beyond a uint is `unsupported`. The decoded candidate is passed untouched; the library
//     then (hotp.ValidateCustom) strings.TrimSpace()s it (Unicode white space, so " 081804" is
//     accepted), requires len() == Digits in BYTES (else the error "Input length unexpected",
//     answered `reject ...`: a lost leading zero or full-width digits are refused that way), and
//     compares the strings in constant time. It does NOT stop at counter 0: the counter is
//     computed as int64 and counter-i converted to uint64, so at step 0 with Skew 1 it also
//     accepts the code of counter 2^64-1 (wraparound). A Skew above math.MaxInt64 becomes a
//     negative int in its loop (only the exact step is tried); a huge Skew just loops for long.
//     The verify request (window, code-hex) is decoded by the adapter: code-hex must be hex
//     (else `reject malformed request`).
//   - Functional API only: `mode reuse` is answered `unsupported no instance to reuse`.
//   - A panic inside the library is recovered and answered `reject panic: ...`.
//   - The code is returned as a string.
package main

import (
	"bufio"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

type unsupported string
type malformed struct{}

var algorithms = map[string]otp.Algorithm{
	"SHA1":   otp.AlgorithmSHA1,
	"SHA256": otp.AlgorithmSHA256,
	"SHA512": otp.AlgorithmSHA512,
}

var (
	integer  = regexp.MustCompile(`^-?[0-9]+$`)
	unsigned = regexp.MustCompile(`^[0-9]+$`)
)

func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " "))
}

func parseInt(s string) int64 {
	if !integer.MatchString(s) {
		panic(malformed{})
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(malformed{})
	}
	return v
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

func algorithm(name string) otp.Algorithm {
	a, ok := algorithms[name]
	if !ok {
		panic(malformed{})
	}
	return a
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
				answer = "reject panic: " + oneLine(fmt.Sprint(v))
			}
		}
	}()
	head := strings.SplitN(line, " ", 2)[0]
	switch head {
	case "mode":
		switch line {
		case "mode reuse":
			return "unsupported no instance to reuse"
		case "mode construct":
			return "ok"
		}
		panic(malformed{})
	case "totp":
		p := fields(line, 8)
		alg := algorithm(p[1])
		digits, period, t0, t := parseInt(p[2]), parseInt(p[3]), parseInt(p[4]), parseInt(p[5])
		secret := secretOf(p[6], p[7])
		if t0 != 0 {
			panic(unsupported("t0 (pquerna/otp has no T0 option)"))
		}
		if period < 0 {
			panic(unsupported("negative period (Period is a uint)"))
		}
		code, err := totp.GenerateCodeCustom(secret, time.Unix(t, 0), totp.ValidateOpts{
			Period: uint(period), Digits: otp.Digits(digits), Algorithm: alg,
		})
		if err != nil {
			return "reject " + oneLine(err.Error())
		}
		return "ok " + oneLine(code)
	case "verify":
		p := fields(line, 10)
		alg := algorithm(p[1])
		digits, period, t0, t := parseInt(p[2]), parseInt(p[3]), parseInt(p[4]), parseInt(p[5])
		var skew uint
		if p[6] == "default" {
			skew = 1 // what totp.Validate uses
		} else {
			if !integer.MatchString(p[6]) {
				panic(malformed{})
			}
			if !unsigned.MatchString(p[6]) {
				panic(unsupported("negative window (Skew is a uint)"))
			}
			w, err := strconv.ParseUint(p[6], 10, strconv.IntSize)
			if err != nil {
				panic(unsupported("window beyond a uint (Skew is a uint)"))
			}
			skew = uint(w)
		}
		candidate, err := hex.DecodeString(p[7])
		if err != nil {
			panic(malformed{})
		}
		secret := secretOf(p[8], p[9])
		if t0 != 0 {
			panic(unsupported("t0 (pquerna/otp has no T0 option)"))
		}
		if period < 0 {
			panic(unsupported("negative period (Period is a uint)"))
		}
		ok, err := totp.ValidateCustom(string(candidate), secret, time.Unix(t, 0), totp.ValidateOpts{
			Period: uint(period), Skew: skew, Digits: otp.Digits(digits), Algorithm: alg,
		})
		if err != nil {
			return "reject " + oneLine(err.Error())
		}
		if ok {
			return "ok accept"
		}
		return "ok refuse"
	case "hotp":
		p := fields(line, 6)
		alg := algorithm(p[1])
		digits := parseInt(p[2])
		if !unsigned.MatchString(p[3]) {
			panic(malformed{})
		}
		counter, err := strconv.ParseUint(p[3], 10, 64)
		if err != nil {
			panic(malformed{})
		}
		secret := secretOf(p[4], p[5])
		code, err := hotp.GenerateCodeCustom(secret, counter, hotp.ValidateOpts{
			Digits: otp.Digits(digits), Algorithm: alg,
		})
		if err != nil {
			return "reject " + oneLine(err.Error())
		}
		return "ok " + oneLine(code)
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
				fmt.Fprintln(os.Stderr, "pquerna adapter:", err)
			}
			return
		}
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")
		fmt.Fprintln(out, handle(line))
		out.Flush()
	}
}
