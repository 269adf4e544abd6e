import OWCore
import OWIdentity
import OWOffice

/// When a scan run from cron fails (exit 1) because of what it found: `--fail-on-findings` or
/// `--fail-on shadow` on new shadow-IT findings, `--fail-on all` on any new finding (idle seats
/// and renewals too); without either, never.
public enum ScanFailPolicy: String, Sendable, CaseIterable {
    case never, shadow, all

    /// The policy the options give; `failOn` is `--fail-on`'s value (shadow or all).
    public init(failOnFindings: Bool, failOn: String?) {
        if failOn == "all" {
            self = .all
        } else if failOnFindings || failOn != nil {
            self = .shadow
        } else {
            self = .never
        }
    }

    /// Whether these new findings fail the run.
    public func fails(on findings: [Finding]) -> Bool { fails(onKinds: findings.map(\.kind)) }

    public func fails(onKinds kinds: [FindingKind]) -> Bool {
        switch self {
        case .never: false
        case .shadow: kinds.contains { FindingKind.shadowIT.contains($0) }
        case .all: !kinds.isEmpty
        }
    }

    /// The exit status the run ends with for these findings (0 or 1).
    public func exitStatus(_ findings: [Finding]) -> Int32 { fails(on: findings) ? 1 : 0 }
}
