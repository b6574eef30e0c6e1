# frozen_string_literal: true

# otp-line/1 request loop shared by the Ruby adapters (see adapters/README.md).
#
# An adapter calls OtpLine.serve(make:, generate:, verify:, reuse:, library:) with lambdas:
#   make.(kind, algorithm, digits, period, t0, encoding, key) -> generator object
#     kind is "totp" or "hotp"; period and t0 are nil for hotp; digits, period, t0 are Integers.
#     The key is the rest of the line as a String (tagged UTF-8, bytes exactly as sent). Raise
#     OtpLine::Unsupported for a parameter the library's API cannot express.
#   generate.(kind, obj, value) -> String
#     value is an Integer (Ruby's are unbounded): the Unix time in seconds (totp) or the
#     counter (hotp, 0 .. 2^64-1).
#   verify.(obj, time, window, code) -> true | false   (optional)
#     obj is make.("totp", ...)'s object for the request's parameters; time is an Integer (Unix
#     seconds); window is an Integer >= 0 (steps accepted on either side) or nil for `default`
#     (call the library's verifier without a window); code is the candidate exactly as sent
#     (decoded from the request's UTF-8 hex; it may hold spaces or non-ASCII digits on purpose and
#     must reach the library untouched). Without verify, `verify` requests are answered
#     `unsupported verify (<library> has no verifier)`.
#   reuse: false for a library with only a functional API (`mode reuse` is then answered
#     `unsupported no instance to reuse`).
# `mode reuse` caches make's result per (kind, algorithm, digits, period, t0, encoding, key); a
# `verify` request shares the entry of the `totp` request with the same parameters. `mode
# construct` (the default) calls make for every request. A make that raised is not cached.
# Any exception (StandardError or not: NoMemoryError, SystemStackError, ScriptError ...)
# becomes `reject <Class>: <message>`; OtpLine::Unsupported becomes `unsupported <message>`.
module OtpLine
  class Unsupported < StandardError; end
  class Malformed < StandardError; end

  ALGORITHMS = %w[SHA1 SHA256 SHA512].freeze
  ENCODINGS = %w[hex base32].freeze
  INTEGER = /\A-?[0-9]+\z/.freeze
  WINDOW = /\A[0-9]+\z/.freeze
  CODE_HEX = /\A(?:[0-9a-fA-F]{2})*\z/.freeze
  FIELDS = { 'totp' => 8, 'hotp' => 6, 'verify' => 10 }.freeze

  module_function

  def one_line(text)
    text.to_s.b.split(/\r\n|\r|\n/).join(' ').strip.force_encoding(Encoding::UTF_8).scrub
  end

  def describe(exc)
    message = one_line(exc.message)
    message.empty? ? exc.class.name.to_s : "#{exc.class.name}: #{message}"
  end

  def int(text)
    raise Malformed unless INTEGER.match?(text)

    Integer(text, 10)
  end

  # The candidate of a verify request: its UTF-8 bytes as hex -> a UTF-8 String.
  def candidate(hex)
    raise Malformed unless CODE_HEX.match?(hex)

    code = [hex.to_s].pack('H*').force_encoding(Encoding::UTF_8)
    raise Malformed unless code.valid_encoding?

    code
  end

  # Returns {mode:} or {kind:, algorithm:, digits:, period:, t0:, encoding:, key:, value:
  # [, window:, code:]}.
  def parse(line)
    head = line.split(/ /, 2)[0]
    if head == 'mode'
      parts = line.split(/ /, -1)
      raise Malformed unless parts.length == 2 && %w[reuse construct].include?(parts[1])

      return { mode: parts[1] }
    end
    n = FIELDS[head] or raise Malformed
    parts = line.split(/ /, n) # the last field is the rest of the line, spaces included
    parts << '' if parts.length == n - 1 # an empty key written without its separating space
    raise Malformed unless parts.length == n

    req = case head
          when 'totp'
            _, alg, digits, period, t0, time, enc, key = parts
            { kind: 'totp', algorithm: alg, digits: int(digits), period: int(period), t0: int(t0),
              encoding: enc, key: key, value: int(time) }
          when 'verify'
            _, alg, digits, period, t0, time, window, code_hex, enc, key = parts
            raise Malformed unless window == 'default' || WINDOW.match?(window)

            { kind: 'verify', algorithm: alg, digits: int(digits), period: int(period), t0: int(t0),
              encoding: enc, key: key, value: int(time),
              window: window == 'default' ? nil : Integer(window, 10), code: candidate(code_hex) }
          else
            _, alg, digits, counter, enc, key = parts
            value = int(counter)
            raise Malformed unless value >= 0 && value < 2**64

            { kind: 'hotp', algorithm: alg, digits: int(digits), period: nil, t0: nil,
              encoding: enc, key: key, value: value }
          end
    raise Malformed unless ALGORITHMS.include?(req[:algorithm]) && ENCODINGS.include?(req[:encoding])

    req[:key] = req[:key].dup.force_encoding(Encoding::UTF_8) # as sent (not checked: it may be invalid)
    req
  end

  def answer(req, state, make, generate, verify, reuse_supported, library)
    if req[:mode]
      return 'unsupported no instance to reuse' if req[:mode] == 'reuse' && !reuse_supported

      state[:reuse] = req[:mode] == 'reuse'
      return 'ok'
    end
    return "unsupported verify (#{library} has no verifier)" if req[:kind] == 'verify' && verify.nil?

    kind = req[:kind] == 'verify' ? 'totp' : req[:kind]
    params = [kind, req[:algorithm], req[:digits], req[:period], req[:t0], req[:encoding], req[:key]]
    obj = if state[:reuse] && state[:cache].key?(params)
            state[:cache][params]
          else
            made = make.call(*params)
            state[:cache][params] = made if state[:reuse]
            made
          end
    if req[:kind] == 'verify'
      verdict = verify.call(obj, req[:value], req[:window], req[:code])
      return 'ok accept' if verdict == true
      return 'ok refuse' if verdict == false

      raise TypeError, "adapter: verify returned #{verdict.inspect}, not true/false"
    end
    "ok #{one_line(generate.call(req[:kind], obj, req[:value]))}"
  end

  def serve(make:, generate:, verify: nil, reuse: true, library: 'the library')
    $stdin.binmode
    $stdout.binmode
    $stdout.sync = true
    state = { reuse: false, cache: {} }
    while (line = $stdin.gets)
      line = line.chomp("\n").chomp("\r") # binary: only the key and the candidate are UTF-8
      reply = begin
        answer(parse(line), state, make, generate, verify, reuse, library)
      rescue Malformed
        'reject malformed request'
      rescue Unsupported => e
        "unsupported #{one_line(e.message)}"
      rescue Interrupt, SignalException, SystemExit
        raise
      rescue Exception => e # rubocop:disable Lint/RescueException -- never die on a request
        "reject #{describe(e)}"
      end
      $stdout.write("#{reply}\n")
    end
  end
end
