import Foundation
import OWKit

/// Where output goes, and what kind of place it is: the one object that knows whether
/// stdout is a terminal, whether colour is on, and how wide the screen is.
struct Terminal {
    var isTTY: Bool
    var stderrIsTTY: Bool
    var color: Bool
    var width: Int?
    /// Whether the locale is UTF-8, so charts may use block characters.
    var unicode: Bool = true

    static func detect(noColor: Bool, environment env: [String: String]) -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        var ws = winsize()
        let width: Int? = tty && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : (tty ? 80 : nil)
        let colorOff = noColor || env["NO_COLOR"].map { !$0.isEmpty } == true || env["TERM"] == "dumb"
        // The first of LC_ALL, LC_CTYPE, LANG that is set decides, as setlocale(3) would.
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? ""
        let unicode = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
        return Terminal(isTTY: tty, stderrIsTTY: isatty(STDERR_FILENO) == 1, color: tty && !colorOff, width: width, unicode: unicode)
    }

    func out(_ text: String) { out(bytes: Array(text.utf8)) }

    /// Writes bytes to stdout as they are, retrying short writes. A closed pipe (`| head`)
    /// ends the output quietly, as for any Unix filter.
    func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = write(STDOUT_FILENO, buf.baseAddress! + done, buf.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
