import OWCore
import OWIdentity
import OWOffice

/// `config set` and `config unset` with what follows from a setting, in its transaction: the
/// settings live below the requests, so the requests' layer applies what concerns them.
extension Config {
    @discardableResult
    public static func set(_ session: Session, _ name: String, _ value: String) throws -> (value: String, effect: Effect) {
        try set(session, name, value, applying: applied)
    }

    @discardableResult
    public static func unset(_ session: Session, _ name: String) throws -> Effect {
        try unset(session, name, applying: applied)
    }

    /// What follows from a setting.
    static func applied(_ session: Session, _ name: String) throws -> Effect {
        var effect = Effect()
        if name == "leave.holidays" { effect.recomputedLeave = try Leave.holidaysChanged(session.ledger) }
        return effect
    }
}
