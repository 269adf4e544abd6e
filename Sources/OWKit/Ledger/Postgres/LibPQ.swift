import FoundationEssentials
import Glibc

/// libpq, loaded with `dlopen` the first time a PostgreSQL ledger is opened: owatch does not link
/// it, so an office on SQLite installs nothing new and its start-up does not grow (issue 35).
/// Only the functions owatch calls are resolved; their C types are spelled here.
package final class LibPQ: @unchecked Sendable {
    package typealias Conn = OpaquePointer
    package typealias Result = OpaquePointer

    let connectdb: @convention(c) (UnsafePointer<CChar>) -> Conn?
    package let status: @convention(c) (Conn?) -> Int32
    let errorMessage: @convention(c) (Conn?) -> UnsafePointer<CChar>?
    package let finish: @convention(c) (Conn?) -> Void
    package let exec: @convention(c) (Conn?, UnsafePointer<CChar>) -> Result?
    let execParams:
        @convention(c) (
            Conn?, UnsafePointer<CChar>, Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?,
            UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
        ) -> Result?
    /// PQprepare and PQexecPrepared: a statement parsed once per connection (`PostgresPrepared`).
    let prepare: @convention(c) (Conn?, UnsafePointer<CChar>, UnsafePointer<CChar>, Int32, UnsafePointer<UInt32>?) -> Result?
    let execPrepared:
        @convention(c) (
            Conn?, UnsafePointer<CChar>, Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
            Int32
        ) -> Result?
    let resultStatus: @convention(c) (Result?) -> Int32
    let resultErrorField: @convention(c) (Result?, Int32) -> UnsafePointer<CChar>?
    let ntuples: @convention(c) (Result?) -> Int32
    let nfields: @convention(c) (Result?) -> Int32
    let fname: @convention(c) (Result?, Int32) -> UnsafePointer<CChar>?
    let ftype: @convention(c) (Result?, Int32) -> UInt32
    let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafePointer<CChar>?
    let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
    let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let cmdTuples: @convention(c) (Result?) -> UnsafePointer<CChar>?
    let transactionStatus: @convention(c) (Conn?) -> Int32
    package let clear: @convention(c) (Result?) -> Void
    let serverVersion: @convention(c) (Conn?) -> Int32
    /// Pipeline mode (libpq 14 and later; nil before): several statements sent in one round trip.
    let pipeline: Pipeline?

    struct Pipeline {
        let enter: @convention(c) (Conn?) -> Int32
        let exit: @convention(c) (Conn?) -> Int32
        let sync: @convention(c) (Conn?) -> Int32
        let sendQueryParams:
            @convention(c) (
                Conn?, UnsafePointer<CChar>, Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?,
                UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
            ) -> Int32
        let sendQueryPrepared:
            @convention(c) (
                Conn?, UnsafePointer<CChar>, Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                UnsafePointer<Int32>?, Int32
            ) -> Int32
        let getResult: @convention(c) (Conn?) -> Result?
    }

    // Values of libpq-fe.h's enums and postgres_ext.h's field codes that owatch reads.
    static let connectionOK: Int32 = 0
    static let commandOK: Int32 = 1
    static let tuplesOK: Int32 = 2
    static let diagSQLState: Int32 = 67  // 'C'
    static let diagMessagePrimary: Int32 = 77  // 'M'
    static let transactionIdle: Int32 = 0
    static let pipelineSync: Int32 = 10

    /// The library's file name; `OWATCH_LIBPQ` names another (a test hook, and for systems that
    /// install it elsewhere).
    static var libraryName: String {
        ProcessInfo.processInfo.environment["OWATCH_LIBPQ"].flatMap { $0.isEmpty ? nil : $0 } ?? "libpq.so.5"
    }

    nonisolated(unsafe) private static var loaded: LibPQ?

    /// The process's one copy (a CLI opens one or two ledgers).
    static func shared() throws -> LibPQ {
        if let loaded { return loaded }
        let lib = try LibPQ(name: libraryName)
        loaded = lib
        return lib
    }

    private init(name: String) throws {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let why = dlerror().map { String(cString: $0) } ?? "not found"
            throw OWError(
                .unavailable, "a PostgreSQL ledger needs libpq, which could not be loaded (\(name)): \(why)",
                hint: "install the Debian package libpq5 (apt-get install libpq5), or use a SQLite ledger")
        }
        func load<T>(_ symbol: String) throws -> T {
            guard let p = dlsym(handle, symbol) else {
                throw OWError(
                    .unavailable, "\(name) has no \(symbol): not a libpq owatch can use", hint: "install the Debian package libpq5")
            }
            return unsafeBitCast(p, to: T.self)
        }
        connectdb = try load("PQconnectdb")
        status = try load("PQstatus")
        errorMessage = try load("PQerrorMessage")
        finish = try load("PQfinish")
        exec = try load("PQexec")
        execParams = try load("PQexecParams")
        prepare = try load("PQprepare")
        execPrepared = try load("PQexecPrepared")
        resultStatus = try load("PQresultStatus")
        resultErrorField = try load("PQresultErrorField")
        ntuples = try load("PQntuples")
        nfields = try load("PQnfields")
        fname = try load("PQfname")
        ftype = try load("PQftype")
        getvalue = try load("PQgetvalue")
        getlength = try load("PQgetlength")
        getisnull = try load("PQgetisnull")
        cmdTuples = try load("PQcmdTuples")
        transactionStatus = try load("PQtransactionStatus")
        clear = try load("PQclear")
        serverVersion = try load("PQserverVersion")
        pipeline = try? Pipeline(
            enter: load("PQenterPipelineMode"), exit: load("PQexitPipelineMode"), sync: load("PQpipelineSync"),
            sendQueryParams: load("PQsendQueryParams"), sendQueryPrepared: load("PQsendQueryPrepared"), getResult: load("PQgetResult"))
    }
}
