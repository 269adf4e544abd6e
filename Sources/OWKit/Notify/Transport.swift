import FoundationEssentials
import Glibc
import OWCore
import OWIdentity

/// What one delivery attempt came to.
public struct SendResult: Sendable {
    public let ok: Bool
    /// The HTTP status (webhooks) when one came back.
    public let http: Int?
    public let error: String?

    package static func failed(_ why: String, http: Int? = nil) -> SendResult { SendResult(ok: false, http: http, error: why) }
}

/// HTTP through the `curl` program and mail through the local `sendmail`: owatch speaks neither
/// TLS nor SMTP itself. The URL and headers go to curl on stdin (`--config -`), never in argv,
/// where `ps` would show a webhook's secret to every user of the machine.
package enum Transport {
    static let timeout: TimeInterval = 20

    /// POSTs `body` (JSON) to `url` with `headers`; a 2xx status is success.
    static func post(url: String, headers: [(String, String)], body: [UInt8]) -> SendResult {
        guard let curl = Subprocess.find("curl") else {
            return .failed("the curl program is not installed (Debian package curl); owatch sends webhooks through it")
        }
        let bodyPath: String
        do { bodyPath = try temporaryFile(body) } catch { return .failed("cannot write the request body: \(error)") }
        defer { unlink(bodyPath) }
        var config = [
            "url = \(quoted(url))",
            "request = \"POST\"",
            // Only http(s), and no redirects: a webhook URL never leads to a local file or another host.
            "proto = \"=http,https\"",
            "silent", "show-error",
            "max-time = \(Int(timeout))",
            "output = \"/dev/null\"",
            "write-out = \"%{http_code}\"",
            "data-binary = \(quoted("@" + bodyPath))",
            "header = \"Content-Type: application/json; charset=utf-8\"",
        ]
        config += headers.map { "header = \(quoted("\($0.0): \($0.1)"))" }
        let r = Subprocess.run(curl, ["--config", "-"], input: Array((config.joined(separator: "\n") + "\n").utf8), timeout: timeout + 5)
        let code = Int(String(decoding: r.stdout, as: UTF8.self).trimmed(.whitespacesAndNewlines))
        let said = tidy(r.stderr, hiding: url)
        switch r.ending {
        case .failed(let why): return .failed("curl could not start: \(why)")
        case .timedOut: return .failed("curl did not finish within \(Int(timeout)) s")
        case .signaled(let sig): return .failed("curl was killed by signal \(sig)")
        case .exited(0):
            guard let code, (200..<300).contains(code) else { return .failed("HTTP status \(code.map(String.init) ?? "none")", http: code) }
            return SendResult(ok: true, http: code, error: nil)
        case .exited(let rc):
            return .failed("curl exited \(rc)" + (said.isEmpty ? "" : ": " + said), http: code.flatMap { $0 == 0 ? nil : $0 })
        }
    }

    /// Hands a whole message to `sendmail -t -i` (recipients from its headers, a lone dot is not the end).
    static func sendmail(_ path: String, message: [UInt8]) -> SendResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .failed("no sendmail at \(path) (install a mail transfer agent, or config set notify.sendmail PATH)")
        }
        let r = Subprocess.run(path, ["-t", "-i"], input: message, timeout: timeout + 10)
        let said = tidy(r.stderr, hiding: nil)
        switch r.ending {
        case .exited(0): return SendResult(ok: true, http: nil, error: nil)
        case .exited(let rc): return .failed("sendmail exited \(rc)" + (said.isEmpty ? "" : ": " + said))
        case .signaled(let sig): return .failed("sendmail was killed by signal \(sig)")
        case .timedOut: return .failed("sendmail did not finish within \(Int(timeout + 10)) s")
        case .failed(let why): return .failed("sendmail could not start: \(why)")
        }
    }

    /// A value in curl's config syntax: double quotes, with backslash escapes.
    package static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// A program's complaint as one safe line, without the URL (curl names it in some errors).
    static func tidy(_ bytes: [UInt8], hiding secret: String?) -> String {
        var text = String(decoding: bytes.prefix(2000), as: UTF8.self).trimmed(.whitespacesAndNewlines)
        if let secret, !secret.isEmpty { text = text.replacingAll(secret, with: "<url>") }
        return SafeText.visible(text.split(separator: "\n").joined(separator: " / "))
    }

    /// A private file holding `bytes`, for curl to read the body from.
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/owatch-notify-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OWError(.io, "cannot create a temporary file in \(dir)") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else { throw OWError(.io, "cannot write a temporary file in \(dir)") }
            written += n
        }
        return String(cString: template.map { $0 })
    }
}
