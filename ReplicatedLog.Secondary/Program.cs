using ReplicatedLog.Secondary;

// Before anything touches a socket: the runtime reads its switch once.
SecondaryApp.PreferInlineSocketWork();
await SecondaryApp.Build(args).RunAsync();
