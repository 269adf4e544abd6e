import FoundationEssentials
import Glibc
import OWCore
import OWOffice

/// The scan's lock: one scan of a ledger at a time.
enum ScanLock {
    /// One scan at a time, per ledger: an advisory lock beside it.
    static func acquire(_ ledger: Ledger, wait: Bool) throws -> Int32 {
        let path = ledger.besidePath(".scan.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OWError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            throw OWError(.busy, "another scan of this ledger is running", hint: "retry later, or pass --wait to wait for it")
        }
        return fd
    }
}
