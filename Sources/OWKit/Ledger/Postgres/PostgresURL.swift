import FoundationEssentials

/// Reading parts of a libpq URI (`postgresql://user:secret@host:port,host2/db?host=/run/sock`)
/// that owatch must recognise in text, without connecting: libpq itself parses it to connect.
package enum PostgresURL {
    /// The hosts it names, as they appear in libpq's messages: the authority's (no user, no
    /// port) and every `host=` / `hostaddr=` parameter's value, percent-decoded (a socket folder).
    package static func hosts(_ url: String) -> [String] {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return [] }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" })
        let hostPart = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        var hosts: [String] = []
        for host in hostPart.split(separator: ",") {
            let name = host.hasPrefix("[") ? host.prefix(while: { $0 != "]" }).dropFirst() : host.prefix(while: { $0 != ":" })
            if let decoded = decode(name), !decoded.isEmpty { hosts.append(decoded) }
        }
        if let query = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: query)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, ["host", "hostaddr"].contains(parts[0].lowercased()) else { continue }
                for host in parts[1].split(separator: ",") {
                    if let decoded = decode(host), !decoded.isEmpty { hosts.append(decoded) }
                }
            }
        }
        return hosts
    }

    /// `%2F` → `/`; nil when an escape is malformed or the result is not UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
