import OWKit

extension OWError.Remedy {
    /// The remedy in the command line's words: the ledger says what helps, the front end which command.
    var hint: String {
        switch self {
        case .waitLonger: "retry in a moment; the wait is set by `owatch config set busy_timeout 10s`"
        case .checkLedger: "run `owatch doctor`"
        case .checkOrRestoreLedger: "run `owatch doctor`, or restore from `owatch backup`"
        case .checkTotals: "run `owatch doctor`; remove the charges that should not be there (`owatch charge remove ID`)"
        }
    }
}
