using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Core.Storage;

/// <summary>Opens the store a node's options ask for.</summary>
public static class LogStores
{
    /// <summary>
    /// A <see cref="FileLogStore"/> in <see cref="StorageOptions.Path"/> (the directory is created if needed and the
    /// log in it recovered), or an <see cref="InMemoryLogStore"/> when there is no path.
    /// </summary>
    /// <exception cref="ValidationException">The options are out of range.</exception>
    public static ILogStore Open(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return string.IsNullOrWhiteSpace(options.Path) ? new InMemoryLogStore(options) : new FileLogStore(options.Path, options);
    }
}
