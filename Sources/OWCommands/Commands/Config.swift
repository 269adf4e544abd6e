import OWCLI
import OWKit

enum ConfigCommand {
    /// Every config command's one option: `--local`, this computer's client settings, which need no ledger or token.
    enum LocalOption: String, OptionKeys {
        case local

        var spec: Option {
            Option("a setting of this computer's owatch client ($XDG_CONFIG_HOME/owatch/client.conf: remote), not of the ledger")
        }
    }

    static func get(_ inv: Call<LocalOption>) throws {
        let key = inv.argument(0)
        let stored = inv.flag(.local) ? try clientValue(key, environment: inv.environment) : try Config.get(inv.session.ledger, key)
        guard let value = stored else {
            throw OWError.refused("\(key) is not set and has no default")
        }
        inv.emit(Setting(key: key, value: value), as: valueShape, inTable: { inv.term.out(SafeText.visible(value) + "\n") })
    }

    static func set(_ inv: Call<LocalOption>) throws {
        if inv.flag(.local) {
            try ClientConfig.set(inv.argument(0), inv.argument(1), environment: inv.environment)
            inv.note("\(inv.argument(0)) = \(inv.argument(1)) (this computer's owatch, \(ClientConfig.path(environment: inv.environment)))")
            return
        }
        let (stored, effect) = try Config.set(inv.session, inv.argument(0), inv.argument(1))
        inv.note("\(inv.argument(0)) = \(stored)")
        note(inv, effect)
    }

    static func unset(_ inv: Call<LocalOption>) throws {
        if inv.flag(.local) {
            try ClientConfig.set(inv.argument(0), nil, environment: inv.environment)
            inv.note("\(inv.argument(0)) is unset on this computer.")
            return
        }
        let effect = try Config.unset(inv.session, inv.argument(0))
        inv.note("\(inv.argument(0)) is back to its default.")
        note(inv, effect)
    }

    static func note(_ inv: Invocation, _ effect: Config.Effect) {
        if !effect.recomputedLeave.isEmpty {
            inv.note(
                "Counted the days of \(effect.recomputedLeave.count) pending leave request(s) again: "
                    + effect.recomputedLeave.map { "#\($0)" }.joined(separator: ", ")
                    + ". Approved leave keeps its days (see owatch report leave).")
        }
    }

    /// A client setting (`--local`): nil when unset.
    static func clientValue(_ key: String, environment: [String: String]) throws -> String? {
        guard ClientConfig.keys.contains(key) else {
            throw OWError.usage(
                "'\(key)' is not a client setting", hint: "client settings (--local): " + ClientConfig.keys.joined(separator: ", "))
        }
        return ClientConfig.read(environment: environment)[key]
    }

    static func list(_ inv: Call<LocalOption>) throws {
        if inv.flag(.local) {
            let values = ClientConfig.read(environment: inv.environment)
            // A client setting has no default: an unset one is empty.
            inv.emit(
                ClientConfig.keys.map { Setting(key: $0, value: values[$0] ?? "", defaultValue: "", isSet: values[$0] != nil) },
                as: settingShape)
            return
        }
        inv.emit(
            try Config.list(inv.session.ledger).map {
                Setting(key: $0.key.name, value: $0.value, defaultValue: $0.key.defaultValue, isSet: $0.isSet)
            },
            as: settingShape)
    }

    /// One setting as `config list` shows it; `config get` gives its key and value only.
    struct Setting {
        let key: String
        let value: String?
        var defaultValue: String? = nil
        var isSet = false
    }

    static let settingShape = Shape<Setting>([
        Field("key", "setting name") { .text($0.key) },
        Field("value", "effective value", kind: .text) { .text($0.value) },
        Field("default", "default value", kind: .text) { .text($0.defaultValue) },
        Field("set", "true when set explicitly") { .bool($0.isSet) },
    ])

    static let valueShape = Shape(Array(settingShape.fields.prefix(2)))
}

/// `owatch config`: its manual page.
let configNoun = Noun(
    name: "config", summary: "ledger settings",
    description: """
        Settings live in the ledger.
        Keys: 
        """
            + Config.keys.map { "\($0.name) (\($0.summary)\($0.defaultValue.map { "; default \($0)" } ?? ""))" }.joined(separator: "; ")
            + ".")

/// `owatch config …`: its commands, in help order.
let configCommands: [Command] = [
    Command(
        noun: "config", verb: "get", summary: "print a setting's value", arguments: [Argument(name: "KEY")],
        options: ConfigCommand.LocalOption.self,
        access: .roles(adminOnly), examples: ["owatch config get token.lifetime", "owatch config get --local remote"],
        output: ConfigCommand.valueShape.docs, run: ConfigCommand.get),
    Command(
        noun: "config", verb: "set", summary: "change a setting", arguments: [Argument(name: "KEY"), Argument(name: "VALUE")],
        options: ConfigCommand.LocalOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch config set busy_timeout 10s", "owatch config set renewals.notify 30d,7d,1d",
            "owatch config set --local remote ssh://owatch@office.example/srv/owatch/ledger.db",
        ],
        run: ConfigCommand.set),
    Command(
        noun: "config", verb: "unset", summary: "return a setting to its default", arguments: [Argument(name: "KEY")],
        options: ConfigCommand.LocalOption.self, access: .roles(adminOnly), examples: ["owatch config unset token.lifetime"],
        run: ConfigCommand.unset),
    Command(
        noun: "config", verb: "list", summary: "list every setting with its value and default",
        options: ConfigCommand.LocalOption.self, access: .roles(adminOnly), examples: ["owatch config list"],
        output: ConfigCommand.settingShape.docs, run: ConfigCommand.list),
]
