using System.Text.Json;
using System.Text.Json.Serialization;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Master.Storage;

/// <summary>
/// The secondaries that joined by registering, kept in <c>members.json</c> in the master's data directory, so that a
/// restarted master knows at once whom w=all, majority and quorum count, instead of forgetting them until they
/// register again. Rewritten whole and atomically (<see cref="AtomicFile"/>) on every change. Configured
/// secondaries are not in it: configuration gives them again at every start.
/// </summary>
public sealed partial class MemberFile(string directory)
{
    public const string FileName = "members.json";

    private const int CurrentVersion = 1;

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The members written last; none when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is there but is not a list of members: the master must not start forgetting them.</exception>
    public IReadOnlyList<RegisteredMember> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(Path), MemberFileJsonContext.Default.Contents)
                ?? throw new JsonException("the file holds null");
            if (file.Version != CurrentVersion)
            {
                throw new JsonException($"version {file.Version} is not known (this master reads version {CurrentVersion})");
            }

            foreach (var member in file.Secondaries)
            {
                if (string.IsNullOrWhiteSpace(member.Name) || !Uri.TryCreate(member.Url, UriKind.Absolute, out _))
                {
                    throw new JsonException($"a member needs a name and an absolute URL; got '{member.Name}' at '{member.Url}'");
                }
            }

            return file.Secondaries;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"{Path} does not hold the master's registered secondaries ({ex.Message}). Mend it, or delete it and let the secondaries register again.", ex);
        }
    }

    /// <summary>Replaces the file with <paramref name="members"/>; durable when this returns.</summary>
    public void Write(IReadOnlyList<RegisteredMember> members) =>
        AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(new Contents(CurrentVersion, members), MemberFileJsonContext.Default.Contents));

    internal sealed record Contents(int Version, IReadOnlyList<RegisteredMember> Secondaries);

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
    [JsonSerializable(typeof(Contents))]
    internal sealed partial class MemberFileJsonContext : JsonSerializerContext;
}
