/// What a layer below identity needs of a session (rates, issue 30): the ledger, its write
/// transaction, and an audit event in it as the session's actor. `Session` is the one there is.
public protocol AuditedWriter: AnyObject {
    var db: Database { get }
    func write<T>(_ body: () throws -> T) throws -> T
    func audit(_ action: String, _ object: String, _ details: JSON) throws
}
