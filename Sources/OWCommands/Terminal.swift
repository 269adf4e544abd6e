import FoundationEssentials
import Glibc
import OWCLI
import OWKit

/// Where output goes, and what kind of place it is: the one object that knows whether
/// stdout is a terminal, whether colour is on, and how wide the screen is. Its `streams` are the
/// process's (`detect`) or memory (`inMemory`, for a command run in-process by a test).
public struct Terminal: Sendable {
    var streams: Streams = .standard
    var isTTY: Bool
    var stderrIsTTY: Bool
    var stdinIsTTY: Bool
    var color: Bool
    var width: Int?
    /// Whether the locale is UTF-8, so charts may use block characters.
    var unicode: Bool = true

    /// A test's terminal: nothing is a terminal, so output is as a pipe gets it, and stdin is `streams`'.
    public static func inMemory(_ streams: Streams) -> Terminal {
        Terminal(streams: streams, isTTY: false, stderrIsTTY: false, stdinIsTTY: false, color: false, width: nil)
    }

    static func detect(noColor: Bool, environment env: [String: String]) -> Terminal {
        // A command run for `owatch --remote` is told what the client's terminal is.
        let remote = env["OWATCH_TERMINAL"].map(Terminal.described)
        let tty = remote?["stdout"].map { $0 == 1 } ?? (isatty(STDOUT_FILENO) == 1)
        var ws = winsize()
        let local: Int? = tty && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : (tty ? 80 : nil)
        let width = remote.map { r in tty ? r["width"] ?? 80 : nil } ?? local
        let colorOff = noColor || env["NO_COLOR"].map { !$0.isEmpty } == true || env["TERM"] == "dumb"
        // The first of LC_ALL, LC_CTYPE, LANG that is set decides, as setlocale(3) would.
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? ""
        let unicode = locale.lowercased().replacingAll("-", with: "").contains("utf8")
        return Terminal(
            isTTY: tty, stderrIsTTY: remote?["stderr"].map { $0 == 1 } ?? (isatty(STDERR_FILENO) == 1),
            stdinIsTTY: remote?["stdin"].map { $0 == 1 } ?? (isatty(STDIN_FILENO) == 1),
            color: tty && !colorOff, width: width, unicode: unicode)
    }

    /// `stdout=1,stderr=0,stdin=0,width=120`, as `owatch remote-exec` describes the client's terminal.
    static func described(_ text: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for pair in text.split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let n = Int(kv[1]) { out[String(kv[0])] = n }
        }
        return out
    }

    /// Text to stdout (reports, help, totals): data in it is shown with visible escapes, as on
    /// stderr. Machine formats are written as bytes by the exporter, which escapes them itself.
    func out(_ text: String) { out(bytes: Array(SafeText.visible(text, newlines: true).utf8)) }

    /// Writes bytes to stdout as they are (a closed pipe ends the output quietly).
    func out(bytes: [UInt8]) { streams.out(bytes) }

    /// Messages to stderr. They quote data (names, subjects, file names), so every control
    /// character but the line feed is shown as a visible escape (SafeText), never sent raw.
    func err(_ text: String) { streams.err(Array(SafeText.visible(text, newlines: true).utf8)) }

    /// An error as owatch shows it: `owatch: error: …`, its detail lines, and `hint:` lines.
    func report(_ error: OWError) {
        err("owatch: error: \(Terminal.unprefixed(error.message))\n")
        for line in error.details { err("  \(line)\n") }
        for hint in error.hints + (error.remedy.map { [$0.hint] } ?? []) { err("hint: \(hint)\n") }
    }

    /// A message without an `owatch: …:` prefix of its own, so none is ever doubled.
    static func unprefixed(_ message: String) -> String {
        var m = Substring(message)
        for prefix in ["owatch: error: ", "owatch: warning: ", "owatch: "] where m.hasPrefix(prefix) {
            m = m.dropFirst(prefix.count)
        }
        return String(m)
    }

    /// A progress line redrawn in place on a terminal: our own CR and erase-line around text
    /// made safe.
    func progress(_ text: String?) {
        let line = text.map { "\rscanning " + SafeText.visible($0) + "\u{1B}[K" } ?? "\r\u{1B}[K"
        streams.err(Array(line.utf8))
    }

    /// A line typed at standard input (an answer to a question); nil at its end.
    func readLine() -> String? { streams.readLine() }
}
