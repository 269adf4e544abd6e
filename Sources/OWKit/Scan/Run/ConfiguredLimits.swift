import OWCore
import OWOffice
import OWReaders

extension ScanLimits {
    /// The limits with the ledger's `scan.max_message_size` and `scan.message_timeout`.
    package static func configured(_ ledger: Ledger) throws -> ScanLimits {
        var limits = ScanLimits()
        if let size = try Config.get(ledger, "scan.max_message_size") {
            limits.maxMessageBytes = try ByteSize.parse(size, "scan.max_message_size")
        }
        if let time = try Config.get(ledger, "scan.message_timeout") {
            limits.secondsPerMessage = Double(try Config.duration(time, "scan.message_timeout").seconds)
        }
        return limits
    }
}
