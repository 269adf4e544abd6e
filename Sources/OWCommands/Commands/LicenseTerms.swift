import FoundationEssentials
import OWCLI
import OWKit

/// Contract terms as options: declared once for `license add` and `license edit`.
extension LicenseCommand {
    /// The options that set contract terms (`license add` and `edit`), declared once here; each
    /// command's enum has a case of the same name for each (`ContractTermOptions`).
    enum TermOption: String, OptionKeys {
        case notice
        case sendBy = "send-by"
        case autoRenew = "auto-renew"
        case noAutoRenew = "no-auto-renew"
        case termEnd = "term-end"
        case minimumTerm = "minimum-term"
        case then, lead

        var spec: Option {
            switch self {
            case .notice:
                Option(value: "DURATION", "notice period before a renewal, e.g. 60d or 3m: the cancel-by date is the renewal less it")
            case .sendBy: Option(value: "DURATION", "extra time to send the notice (post, notary): the cancel-by date moves earlier by it")
            case .autoRenew: Option("the contract renews by itself unless cancelled (the default)")
            case .noAutoRenew: Option("the contract ends at its term end unless renewed expressly")
            case .termEnd: Option(value: "DATE", "end of the fixed term; with auto-renewal the first renewal falls on it")
            case .minimumTerm:
                Option(value: "PERIOD", "a minimum term from the purchase date, e.g. 24m: the first renewal falls at its end")
            case .then:
                Option(value: "PERIOD", "renewal cycle after the minimum term or term end, e.g. monthly (default: the billing period)")
            case .lead:
                Option(
                    value: "DURATIONS",
                    "reminder lead times before the cancel-by date (or renewal), e.g. 90d,30d (default config renewals.notify)")
            }
        }

        /// The declaration of a command's term option `key` (a case of the same name).
        static func spec<K: OptionKeys>(of key: K) -> Option {
            guard let term = TermOption(rawValue: key.rawValue) else { preconditionFailure("--\(key.rawValue) is not a term option") }
            return term.spec
        }
    }

    /// The contract terms the options give, over `existing`; nil when none is given and there were none.
    /// An empty value ('') clears a term.
    static func terms<K: ContractTermOptions>(_ inv: Call<K>, from existing: ContractTerms?) throws -> ContractTerms? {
        let valued: [K] = [.notice, .sendBy, .termEnd, .minimumTerm, .then, .lead]
        guard valued.contains(where: { inv.value($0) != nil }) || inv.flag(.autoRenew) || inv.flag(.noAutoRenew) else {
            return existing
        }
        if inv.flag(.autoRenew) && inv.flag(.noAutoRenew) {
            throw OWError.usage("--auto-renew and --no-auto-renew contradict each other")
        }
        var t = existing ?? ContractTerms()
        if let v = inv.value(.notice) { t.notice = v.isEmpty ? nil : try ContractTerms.parseSpan(v, option: "notice") }
        if let v = inv.value(.sendBy) { t.sendBy = v.isEmpty ? nil : try ContractTerms.parseSpan(v, option: "send-by") }
        if inv.flag(.autoRenew) { t.autoRenew = true }
        if inv.flag(.noAutoRenew) { t.autoRenew = false }
        if let v = inv.value(.termEnd) { t.termEnd = v.isEmpty ? nil : Time.day(try inv.day(.termEnd)!) }
        if let v = inv.value(.minimumTerm) {
            t.minimumTerm = v.isEmpty ? nil : try Period.parse(v)
            t.termStart = nil  // counted again from the purchase date
        }
        if let v = inv.value(.then) { t.then = v.isEmpty ? nil : try Period.parse(v) }
        if let v = inv.value(.lead) { t.leads = v.isEmpty ? nil : try ContractTerms.parseLeads(v) }
        return t
    }
}

/// Options that set contract terms (`LicenseCommand.TermOption`): a command with all of them.
protocol ContractTermOptions: OptionKeys {
    static var notice: Self { get }
    static var sendBy: Self { get }
    static var autoRenew: Self { get }
    static var noAutoRenew: Self { get }
    static var termEnd: Self { get }
    static var minimumTerm: Self { get }
    static var then: Self { get }
    static var lead: Self { get }
}
