/// A word as it must be typed in a POSIX shell: as is when it is plain, in single quotes
/// otherwise, so hints can be pasted (`owatch license grow 'Adobe CC' --seats 1`).
public enum ShellWord {
    public static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.utf8.allSatisfy { b in
                (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || "-_./:@%+,=".utf8.contains(b)
            }
        if plain { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }
}
