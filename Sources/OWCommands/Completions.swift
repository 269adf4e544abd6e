import OWCLI
import OWKit

/// Shell completion scripts generated from the command table.
enum Completions {
    static func script(for shell: String) -> String {
        switch shell {
        case "bash": return bash()
        case "zsh": return zsh()
        default: return fish()
        }
    }

    static var commands: [Command] { helpText.visible }
    static var nounNames: [String] { helpText.nounOrder }
    static func verbs(_ noun: String) -> [String] { commands.filter { $0.noun == noun }.compactMap(\.verb) }

    /// What a value is, for completion: from its placeholder (`--out FILE`, `LICENSE`, `USER`)
    /// and the noun it belongs to (`ID` of `scan adopt` is a finding, of `approve` a request).
    enum ValueKind {
        case files
        case words([String])
        case data(CompletionValues.Kind)
        case none
    }

    static func kind(placeholder: String, choices: [String], noun: String?) -> ValueKind {
        if !choices.isEmpty { return .words(choices) }
        switch placeholder {
        case "FILE", "PATH", "DIR", "PATH…": return .files
        case "LICENSE": return .data(.license)
        case "USER": return .data(.user)
        case "NAME": return noun == "user" ? .data(.user) : .none
        case "JTI": return .data(.token)
        case "ID": return noun == "scan" ? .data(.finding) : (noun == "request" || noun == "approve" ? .data(.request) : .none)
        case "DURATION": return .words(["7d", "14d", "30d", "90d", "180d", "1y"])
        default: return .none
        }
    }

    /// `owatch __complete WORD… CURRENT`: the candidates for the last word, one per line, or
    /// the single line `__files__` when the shell should complete file names. Global options
    /// anywhere (`--token bob.token`) are read past and used to open the ledger.
    static func complete(_ words: [String], environment: [String: String]) -> [String] {
        let current = words.last ?? ""
        let before = Array(words.dropLast())
        var positionals: [String] = []
        var given: [String: String] = [:]
        var pendingOption: Option?
        var i = 0
        let allOptions = globalOptions + commandTable.flatMap(\.options)
        while i < before.count {
            let w = before[i]
            i += 1
            if let o = pendingOption {
                given[o.long] = w
                pendingOption = nil
                continue
            }
            if w.hasPrefix("--"), let o = allOptions.first(where: { "--" + $0.long == w.split(separator: "=").first.map(String.init) }) {
                if o.value != nil && !w.contains("=") { pendingOption = o }
                continue
            }
            if w.hasPrefix("-") && w.count == 2, let o = allOptions.first(where: { $0.short.map { "-\($0)" } == w }) {
                if o.value != nil { pendingOption = o }
                continue
            }
            positionals.append(w)
        }
        let noun = positionals.first
        let command: Command? = noun.flatMap { n in
            let verb = positionals.count > 1 ? positionals[1] : nil
            return commands.first { $0.noun == n && $0.verb == verb && verb != nil } ?? commands.first { $0.noun == n && $0.verb == nil }
        }
        func resolve(_ kind: ValueKind) -> [String] {
            switch kind {
            case .files: return ["__files__"]
            case .words(let w): return w
            case .none: return []
            case .data(let k):
                let paths = Paths(ledger: given["ledger"], token: given["token"], key: given["key"], environment: environment)
                guard let session = try? Session.authenticate(paths: paths, services: .office) else { return [] }
                return (try? CompletionValues.values(k, session: session)) ?? []
            }
        }
        if var o = pendingOption {
            // The command's own option of that name wins over a global one (export journal's --format).
            o = ((command?.options ?? []) + globalOptions).first { $0.long == o.long } ?? o
            return resolve(kind(placeholder: o.value ?? "", choices: o.choices, noun: noun))
        }
        if current.hasPrefix("-") {
            let own = command?.options ?? []
            return (own + globalOptions.filter { g in !own.contains { $0.long == g.long } }).map { "--" + $0.long }
        }
        guard let noun, nounNames.contains(noun) else { return nounNames }
        let nounVerbs = verbs(noun)
        if positionals.count == 1 && !nounVerbs.isEmpty {
            // `owatch scan <TAB>`: its verbs, and for a noun that is a command itself, its argument.
            let bare = commands.first { $0.noun == noun && $0.verb == nil }
            let own = bare?.arguments.first.map { resolve(kind(placeholder: $0.name, choices: $0.choices, noun: noun)) } ?? []
            return nounVerbs + own
        }
        guard let command else { return [] }
        if noun == "help" { return nounNames }
        let taken = positionals.count - (command.verb == nil ? 1 : 2)
        let arguments = command.arguments
        guard !arguments.isEmpty else { return [] }
        let argument = taken < arguments.count ? arguments[taken] : (arguments.last!.variadic ? arguments.last! : nil)
        guard let argument else { return [] }
        return resolve(kind(placeholder: argument.name, choices: argument.choices, noun: noun))
    }

    /// bash: asks `owatch __complete` with the words up to the cursor; names with spaces stay one word.
    static func bash() -> String {
        """
        # bash completion for owatch — generated by `owatch completion bash`; do not edit.
        # It asks the binary (`owatch __complete WORDS…`), so it knows your licenses, people and ids.
        _owatch() {
            local cur="${COMP_WORDS[COMP_CWORD]}" line files=""
            local -a out
            mapfile -t out < <("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
            COMPREPLY=()
            for line in "${out[@]}"; do
                if [[ $line == __files__ ]]; then files=1; continue; fi
                [[ $line == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$line")")
            done
            if [[ -n $files ]]; then
                compopt -o filenames 2>/dev/null
                mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
            fi
        }
        complete -F _owatch owatch

        """
    }

    static func zsh() -> String {
        """
        #compdef owatch
        # zsh completion for owatch — generated by `owatch completion zsh`; do not edit.
        # It asks the binary (`owatch __complete WORDS…`), so it knows your licenses, people and ids.
        _owatch() {
            local -a out
            out=("${(@f)$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
            if (( ${out[(I)__files__]} )); then
                out=(${out:#__files__})
                (( ${#out} )) && compadd -a out
                _files
            else
                compadd -a out
            fi
        }
        if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
            _owatch "$@"
        else
            compdef _owatch owatch
        fi

        """
    }

    static func fish() -> String {
        """
        # fish completion for owatch — generated by `owatch completion fish`; do not edit.
        # It asks the binary (`owatch __complete WORDS…`), so it knows your licenses, people and ids.
        function __owatch_complete
            set -l tokens (commandline -opc) (commandline -ct)
            set -l out ($tokens[1] __complete $tokens[2..-1] 2>/dev/null)
            for line in $out
                if test "$line" = __files__
                    __fish_complete_path (commandline -ct)
                else
                    printf '%s\n' $line
                end
            end
        end
        complete -c owatch -f -a '(__owatch_complete)'

        """
    }
}
