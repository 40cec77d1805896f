namespace ReplicatedLog.Bench.Targets;

/// <summary>The target could not be had: a cluster or Redis that did not start, a program not installed, an address that does not answer.</summary>
public sealed class TargetUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
