using System.Net;
using System.Text;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>Every malformed request gets a 4xx with a problem-details body, never a 5xx, and the log stays as it was.</summary>
public sealed class BadInputTests(BadInputTests.OneCluster fixture) : IClassFixture<BadInputTests.OneCluster>
{
    private readonly TestCluster _cluster = fixture.Cluster;

    public static TheoryData<string, string, string, int> Cases => new()
    {
        // name, path, body, expected status
        { "not JSON", "messages", "hello", 400 },
        { "empty body", "messages", "", 400 },
        { "JSON array", "messages", "[1,2]", 400 },
        { "JSON string", "messages", "\"text\"", 400 },
        { "truncated JSON", "messages", "{\"message\": \"x\"", 400 },
        { "no message", "messages", "{\"w\": 1}", 400 },
        { "message is a number", "messages", "{\"message\": 5}", 400 },
        { "message is null", "messages", "{\"message\": null}", 400 },
        { "w is zero", "messages", "{\"message\": \"x\", \"w\": 0}", 400 },
        { "w is negative", "messages", "{\"message\": \"x\", \"w\": -1}", 400 },
        { "w above 1+N", "messages", "{\"message\": \"x\", \"w\": 3}", 400 },
        { "w is a fraction", "messages", "{\"message\": \"x\", \"w\": 1.5}", 400 },
        { "w is an unknown word", "messages", "{\"message\": \"x\", \"w\": \"most\"}", 400 },
        { "w is a numeric string", "messages", "{\"message\": \"x\", \"w\": \"2\"}", 400 },
        { "w is huge", "messages", "{\"message\": \"x\", \"w\": 99999999999}", 400 },
        { "w is an object", "messages", "{\"message\": \"x\", \"w\": {}}", 400 },
        { "id is empty", "messages", "{\"message\": \"x\", \"id\": \"\"}", 400 },
        { "id is a fraction", "messages", "{\"message\": \"x\", \"id\": 7.5}", 400 },
        { "timeoutMs is negative", "messages", "{\"message\": \"x\", \"timeoutMs\": -5}", 400 },
        { "timeoutMs is text", "messages", "{\"message\": \"x\", \"timeoutMs\": \"soon\"}", 400 },
        { "message over the limit", "messages", "{\"message\": \"" + new string('a', 2049) + "\"}", 413 },
        { "register without body", "replication/register", "", 400 },
        { "register with a bad url", "replication/register", "{\"name\": \"s\", \"url\": \"not a url\"}", 400 },
    };

    /// <summary>One master (messages up to 2048 bytes) and one secondary for the whole class.</summary>
    public sealed class OneCluster : IAsyncLifetime
    {
        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cluster = await TestCluster.StartAsync(secondaries: 1, master: new() { ["Log:MaxMessageBytes"] = "2048" });
            await Cluster.WaitForWritableAsync();
        }

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputIsAnsweredWithA4xxProblemAndChangesNothing(string name, string path, string body, int status)
    {
        var before = await TestCluster.MessagesAsync(_cluster.MasterUrl);
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.MasterUrl, path), body, "application/json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\"", text);
        Assert.Equal(before, await TestCluster.MessagesAsync(_cluster.MasterUrl));
    }

    [Theory]
    [InlineData("log?from=0")]
    [InlineData("log?from=abc")]
    [InlineData("log?limit=0")]
    [InlineData("log?limit=100000")]
    public async Task BadPagingIsA400Problem(string query)
    {
        using var response = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_cluster.MasterUrl, query)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AMessageAtTheLimitIsAcceptedAndAFormPostedJsonBodyIsReadAsJson()
    {
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.MasterUrl, "messages"), "{\"message\": \"" + new string('b', 2048) + "\", \"w\": 2}", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AClientAppendToASecondaryIsRefusedWith405()
    {
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.Secondaries[0].Url, "messages"), "{\"message\": \"x\"}", "application/json");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ASecondaryRefusesAMalformedReplicationRequest()
    {
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.Secondaries[0].Url, "replication/append"), "{\"logId\": \"\", \"entries\": [{\"index\": 0, \"message\": \"x\"}]}", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
