/// Text from data (names, reasons, subjects, senders, file names) made safe to show on a
/// terminal: the one place where control characters become visible. Like `cat -v` and git's
/// quoting, C0 controls show as `^X` (ESC as `^[`), DEL as `^?`, C1 controls and the Unicode
/// bidirectional controls (which reorder what the reader sees, CVE-2021-42574) as `<U+202E>`.
/// Without this, a request name of `ESC ] 0 ; … BEL` retitles the admin's window, `ESC [ 2J`
/// clears it, OSC 52 writes the clipboard and CR redraws the approval queue.
/// JSON escapes control characters itself; CSV cells keep their formula guard.
public enum SafeText {
    /// `text` with every control character shown as a visible escape; with `newlines`, LF is
    /// kept (for multi-line messages on stderr), otherwise it is shown too.
    public static func visible(_ text: String, newlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, newlines: newlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar, newlines: newlines) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: escape(scalar).unicodeScalars)
        }
        return String(out)
    }

    static func isControl(_ s: Unicode.Scalar, newlines: Bool) -> Bool {
        switch s.value {
        case 0x0A: return !newlines
        case 0x09: return false  // a tab moves the cursor but overwrites nothing
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    package static func escape(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x00...0x1F: return "^" + String(Unicode.Scalar(UInt8(s.value) + 0x40))
        case 0x7F: return "^?"
        default:
            let hex = String(s.value, radix: 16, uppercase: true)
            return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
        }
    }
}
