/// What a list gathers per license before it reads the licenses (purchase lines, holders). License
/// ids are given in order (`Licenses.insert`), so they are dense: a slot per id, no hashing of
/// 10,000 keys twice; a ledger whose ids are sparse (many removed) is hashed instead.
struct ByLicense<Element> {
    private var slots: [[Element]] = []
    private var hashed: [Int64: [Element]] = [:]
    private let dense: Bool

    /// `maxID` and `count`: the largest license id and how many licenses there are.
    init(maxID: Int64, count: Int64) {
        dense = maxID >= 0 && maxID <= 2 * count + 4096
        if dense { slots = Array(repeating: [], count: Int(maxID) + 1) }
    }

    mutating func append(_ element: Element, to id: Int64) {
        if dense, id >= 0, id < slots.count { return slots[Int(id)].append(element) }
        hashed[id, default: []].append(element)
    }

    /// The elements of license `id`, handed over (each license is read once).
    mutating func take(_ id: Int64) -> [Element] {
        guard dense, id >= 0, id < slots.count else { return hashed.removeValue(forKey: id) ?? [] }
        var out: [Element] = []
        swap(&out, &slots[Int(id)])
        return out
    }
}
