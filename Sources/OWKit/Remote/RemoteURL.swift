import FoundationEssentials
import OWCore

/// Where a remote ledger is and how to reach it: `ssh://[user@]host[:port][/path/to/ledger.db]`
/// through the system ssh client, or `sudo://account[/path]` on the same machine.
public struct RemoteURL: Sendable, Equatable {
    public enum Transport: String, Sendable { case ssh, sudo }

    public var transport: Transport
    public var user: String?
    public var host: String  // the account, for sudo
    public var port: Int?
    public var ledger: String?

    public init(parsing text: String) throws {
        func bad(_ why: String) -> OWError {
            OWError.usage(
                "'\(text)' is not a remote: \(why)",
                hint: "ssh://[user@]host[:port][/path/to/ledger.db] or sudo://account[/path/to/ledger.db]")
        }
        let scheme: Transport
        let rest: Substring
        if text.hasPrefix("ssh://") {
            scheme = .ssh
            rest = text.dropFirst(6)
        } else if text.hasPrefix("sudo://") {
            scheme = .sudo
            rest = text.dropFirst(7)
        } else {
            throw bad("it starts with neither ssh:// nor sudo://")
        }
        transport = scheme
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        ledger = path.isEmpty || path == "/" ? nil : String(path)
        var hostPart = authority
        if let at = authority.lastIndex(of: "@") {
            user = String(authority[..<at])
            hostPart = authority[authority.index(after: at)...]
        }
        if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasPrefix("[") || hostPart[..<colon].hasSuffix("]") {
            guard let p = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(p) else {
                throw bad("the port is not a number from 1 to 65535")
            }
            port = p
            hostPart = hostPart[..<colon]
        }
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = hostPart.dropFirst().dropLast() }
        host = String(hostPart)
        // Nothing here may look like an option to ssh or sudo, or hold a shell's or ssh's special characters.
        let allowed = ScalarSet.alphanumerics.union(ScalarSet(charactersIn: ".-_:%"))
        guard !host.isEmpty, !host.hasPrefix("-"), host.unicodeScalars.allSatisfy(allowed.contains) else {
            throw bad("the host name is empty or has characters a host name cannot have")
        }
        if let user {
            guard !user.isEmpty, !user.hasPrefix("-"), user.unicodeScalars.allSatisfy(allowed.contains) else {
                throw bad("the user name has characters a user name cannot have")
            }
        }
        if scheme == .sudo, user != nil || port != nil { throw bad("sudo://ACCOUNT takes no user@ or port") }
        if let ledger, ledger.utf8.contains(0) || ledger.contains("\n") { throw bad("the ledger path has a control character") }
    }

    /// The command that reaches `owatch remote-exec` on the other side. The remote command is
    /// fixed: the request travels on standard input, never on this line.
    public func transportCommand(environment env: [String: String]) -> [String] {
        let remoteOwatch = env["OWATCH_REMOTE_EXEC"].flatMap { $0.isEmpty ? nil : $0 } ?? "owatch"
        switch transport {
        case .ssh:
            var argv = [env["OWATCH_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh"]
            argv += (env["OWATCH_SSH_OPTS"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if let port { argv += ["-p", String(port)] }
            // -T: no terminal on the far side (the request is bytes on stdin); -- ends ssh's options.
            argv += ["-T", "--", user.map { "\($0)@\(host)" } ?? host, remoteOwatch, "remote-exec"]
            return argv
        case .sudo:
            return [env["OWATCH_SUDO"].flatMap { $0.isEmpty ? nil : $0 } ?? "sudo", "-n", "-u", host, "--", remoteOwatch, "remote-exec"]
        }
    }

    public var display: String {
        switch transport {
        case .ssh: return (user.map { "\($0)@" } ?? "") + host + (port.map { ":\($0)" } ?? "")
        case .sudo: return "sudo://\(host)"
        }
    }
}

/// The per-user client settings (`owatch config set --local KEY VALUE`), kept in
/// `$XDG_CONFIG_HOME/owatch/client.conf` as `key = value` lines. Only `remote` so far.
public enum ClientConfig {
    public static let keys = ["remote", readURL]
    /// A hot standby's `postgresql://` URL that read-only commands (reports, lists) use (issue 35).
    public static let readURL = "ledger.read_url"

    public static func path(environment env: [String: String]) -> String {
        Paths.configDirectory(environment: env) + "/client.conf"
    }

    public static func read(environment env: [String: String]) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path(environment: env)) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let t = line.trimmed(.whitespaces)
            guard !t.hasPrefix("#"), let eq = t.firstIndex(of: "=") else { continue }
            out[String(t[..<eq]).trimmed(.whitespaces)] = String(t[t.index(after: eq)...]).trimmed(.whitespaces)
        }
        return out
    }

    /// Sets (or, with nil, removes) a key; the file is written whole, atomically, 0600.
    public static func set(_ key: String, _ value: String?, environment env: [String: String]) throws {
        guard keys.contains(key) else {
            throw OWError.usage("'\(key)' is not a client setting", hint: "client settings (--local): " + keys.joined(separator: ", "))
        }
        if let value, key == "remote" { _ = try RemoteURL(parsing: value) }
        if let value, key == readURL, !value.isEmpty, LedgerLocation(value).filePath != nil {
            throw OWError.usage("ledger.read_url names a PostgreSQL standby: postgresql://…", hint: "a SQLite ledger has no replicas")
        }
        var all = read(environment: env)
        all[key] = value
        let text =
            "# owatch client settings (owatch config set --local KEY VALUE)\n"
            + all.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
        try FileSystem.writeAtomically(path(environment: env), contents: text, mode: 0o600)
    }

    /// The remote to use: `--remote`, else `OWATCH_REMOTE` (set but empty means this machine),
    /// else the client setting.
    public static func remote(flag: String?, environment env: [String: String]) -> String? {
        if let flag { return flag.isEmpty ? nil : flag }
        if let e = env["OWATCH_REMOTE"] { return e.isEmpty ? nil : e }
        return read(environment: env)["remote"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
