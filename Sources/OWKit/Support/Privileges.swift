import FoundationEssentials
import Glibc

/// owatch never runs with privileges its user lacks. A setuid or setgid owatch would open
/// paths the user names (`--ledger`, `--token`, `--out`, `hooks.dir`) and run hooks with the
/// binary's ids: the "strict install" that let any local user replace the office ledger and
/// plant a hook an admin later ran. An office shares a ledger through a service account
/// and the remote protocol instead (README, "Sharing a ledger").
public enum Privileges {
    /// Refuses (exit 77) when the real and effective user or group ids differ.
    public static func refuseElevated() throws {
        let uidDiffers = getuid() != geteuid()
        let gidDiffers = getgid() != getegid()
        guard uidDiffers || gidDiffers else { return }
        let which = uidDiffers ? (gidDiffers ? "setuid and setgid" : "setuid") : "setgid"
        throw OWError.notPermitted(
            "owatch refuses to run \(which): real and effective \(uidDiffers ? "user" : "group") ids differ "
                + "(uid \(getuid())/\(geteuid()), gid \(getgid())/\(getegid()))",
            hint: "install owatch without the setuid/setgid bit (chmod u-s,g-s); share a ledger through one service account, see the README"
        )
    }
}
