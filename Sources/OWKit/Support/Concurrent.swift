import Dispatch
import FoundationEssentials

extension Array where Element: Sendable {
    /// `map` on every core: each element is transformed once, on some thread, and the results
    /// come back in the elements' order. `transform` must not touch shared mutable state (the
    /// ledger connection above all); a scan reads messages this way and writes them in order.
    /// Inlinable: the scan (OWCore's caller in OWOffice) gets it specialised for its messages instead of
    /// copying each one through runtime metadata (issue 30).
    @inlinable package func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each iteration writes only its own slot, so the threads never share one.
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(transform) { transform in
                self.withUnsafeBufferPointer { elements in
                    nonisolated(unsafe) let elements = elements
                    DispatchQueue.concurrentPerform(iterations: elements.count) { i in
                        (slots.baseAddress! + i).initialize(to: transform(elements[i]))
                    }
                }
            }
            initialized = count
        }
    }
}

/// Work made on a thread of its own and used on the calling thread in the order it was made, at
/// most `ahead` pieces ahead: a scan reads and parses mail there (on every core) while the
/// calling thread, which owns the ledger connection, writes what was read.
package final class Pipeline<Piece: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = Condition()
    private var pieces: [Piece] = []
    private var produced = false
    private var stopped = false
    private let ahead: Int

    private init(ahead: Int) { self.ahead = ahead }

    /// Runs `produce` on a new thread, which hands each piece to its argument and stops when that
    /// returns false (the consumer threw); `consume` gets the pieces here. Returns once both ended.
    package static func run(
        ahead: Int = 2, produce: @escaping @Sendable (_ put: (Piece) -> Bool) -> Void, consume: (Piece) throws -> Void
    ) throws {
        let pipeline = Pipeline(ahead: ahead)
        let ended = DispatchSemaphore(value: 0)
        startThread {
            produce(pipeline.put)
            pipeline.finish()
            ended.signal()
        }
        defer {
            pipeline.stop()
            ended.wait()
        }
        while let piece = pipeline.take() { try consume(piece) }
    }

    private func put(_ piece: Piece) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while pieces.count >= ahead && !stopped { condition.wait() }
        guard !stopped else { return false }
        pieces.append(piece)
        condition.broadcast()
        return true
    }

    private func finish() {
        condition.lock()
        produced = true
        condition.broadcast()
        condition.unlock()
    }

    private func stop() {
        condition.lock()
        stopped = true
        pieces.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func take() -> Piece? {
        condition.lock()
        defer { condition.unlock() }
        while pieces.isEmpty && !produced { condition.wait() }
        guard !pieces.isEmpty else { return nil }
        condition.broadcast()
        return pieces.removeFirst()
    }
}
