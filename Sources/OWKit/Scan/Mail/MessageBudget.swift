import FoundationEssentials
import Glibc
import OWBase

/// What one message may cost a scan. A hostile message (a header of 200 KB of `=?`, 120 PDFs
/// each inflating 8 MB, a 2 GB file in `Maildir/new`) must not stall the cron scan or take the
/// machine's memory: past a limit the message is skipped with a counted warning and remembered,
/// so the next scan does not try it again (`scan source list` shows how many).
public struct ScanLimits: Sendable {
    /// The largest message read, in bytes: Postfix's default `message_size_limit`.
    public var maxMessageBytes = 10_240_000
    /// Bytes inflated from all the PDF attachments of one message together.
    public var maxInflatedBytes = 8 << 20
    /// Text analysed per message (decoded text parts, HTML, PDF text together).
    public var maxTextBytes = 2 << 20
    /// Processor time one message may take to read (the reading thread's CPU clock, not the
    /// wall clock: on a loaded server a legitimate invoice waiting for a core must not be skipped
    /// for good, while a hostile one spins the processor and is caught all the same).
    public var secondsPerMessage: Double = 5

    public init() {}
    public static let standard = ScanLimits()
}

/// Why a message was passed over: it went past one of its limits.
package struct OverBudget: Error, Sendable {
    package let reason: String
}

/// What one message may still spend, shared by the MIME reader, the PDF reader and the
/// receipt reader while they read it, on the one thread that made it (its clock is that thread's).
package final class MessageBudget {
    let limits: ScanLimits
    private let deadline: UInt64
    private(set) var inflatedLeft: Int
    private(set) var textLeft: Int

    package init(_ limits: ScanLimits) {
        self.limits = limits
        self.deadline = MessageBudget.cpuNow() + UInt64(max(0, limits.secondsPerMessage) * 1e9)
        self.inflatedLeft = limits.maxInflatedBytes
        self.textLeft = limits.maxTextBytes
    }

    /// No limits but the standard ones, for reading one message by hand (`scan inspect`).
    package static func standard() -> MessageBudget { MessageBudget(.standard) }

    package static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The calling thread's processor time, in nanoseconds.
    static func cpuNow() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Throws once the message's time is up; cheap enough to call per part, stream or line.
    func checkTime() throws {
        if MessageBudget.cpuNow() > deadline {
            throw OverBudget(reason: "took longer than \(Self.format(limits.secondsPerMessage)) s to read")
        }
    }

    /// Takes `n` inflated bytes; false once the message's inflate allowance is spent.
    func spendInflated(_ n: Int) { inflatedLeft = max(0, inflatedLeft - n) }

    /// The part of `text` the message's text allowance still covers (taken from it); past the
    /// allowance nothing is decoded: nobody reads megabytes of it.
    func spendText(_ text: [UInt8]) -> ArraySlice<UInt8> {
        let granted = min(text.count, textLeft)
        textLeft -= granted
        return text.prefix(granted)
    }

    package static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

extension ScanLimits {
    package static func tooLarge(_ size: Int, _ limits: ScanLimits) -> String {
        "\(size) bytes, larger than scan.max_message_size (\(limits.maxMessageBytes))"
    }
}
