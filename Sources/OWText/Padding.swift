extension StringProtocol {
    /// `padding(toLength:withPad: " ", startingAt: 0)`: spaces up to `length` UTF-16 units, or cut there.
    public func paddedUTF16(to length: Int) -> String {
        let units = utf16.count
        if units >= length { return String(decoding: Array(utf16.prefix(length)), as: UTF16.self) }
        return String(self) + String(repeating: " ", count: length - units)
    }
}
