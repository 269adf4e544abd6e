import FoundationEssentials
import Glibc
import OWCommands

// The binary: the process's arguments, environment and standard streams, given to one run
// (OWCommands), whose status is the exit code.
exit(
    runOwatch(
        Array(CommandLine.arguments.dropFirst()), invokedAs: CommandLine.arguments.first ?? "owatch",
        environment: ProcessInfo.processInfo.environment))
