import FoundationEssentials
import OWBase

/// One statement line as the file has it, whatever it paid: spend is positive, refunds and
/// credits negative. Every line is one (not only those that pay a known vendor); what it pays
/// is decided on top of it.
public struct StatementRow: Sendable {
    public let line: Int
    public let date: Date
    public var valueDate: Date? = nil
    public let description: String
    public var payee: String? = nil
    public let amount: Money
    /// The amount in the currency the merchant charged, when the bank converted it.
    public var foreign: Money? = nil
    /// The card or account the export names (masked as the bank prints it), per line or from its preamble.
    public var account: String? = nil
    /// The bank's own id for the line (OFX FITID, CAMT AcctSvcrRef), when it gives one.
    public var bankID: String? = nil
    /// The text this line's scan key was made of before payees were read apart (a CSV's first
    /// description-like column); the description otherwise.
    public var keyText: String? = nil
}

/// A statement file read into rows: how many lines could not be read, amounts too large to
/// be true (bad data, named by line), and what its preamble or header says about the account.
public struct StatementFile: Sendable {
    public var rows: [StatementRow] = []
    public var skipped = 0
    public var badLines: [BadLine] = []
    public var account: String? = nil
    /// The period the export covers, `YYYY-MM-DD..YYYY-MM-DD`, when it says.
    public var period: String? = nil
    /// What the file was read as: `csv`, `ofx`, `camt.053`.
    public var format = "csv"

    public struct BadLine: Sendable {
        public let line: Int
        public let key: String
        public let why: String
    }
}
