import FoundationEssentials

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// `trimmingCharacters(in:)` for white space, without Foundation's bridging when there is
    /// nothing to trim: the usual case, once per field of a 10,000-row export.
    @inlinable public func trimmed(_ set: ScalarSet = .whitespaces) -> String {
        guard set.isWhitespace, let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last)
        else {
            return trimmingScalars(set)
        }
        return String(self)
    }
}
