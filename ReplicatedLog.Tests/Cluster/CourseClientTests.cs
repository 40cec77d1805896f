using System.Net;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// The shapes in which the course's client scripts and test suites talk to a master work unchanged, and a field
/// that is not known is refused by name instead of being ignored.
/// </summary>
public sealed class CourseClientTests(CourseClientTests.TwoSecondaries fixture) : IClassFixture<CourseClientTests.TwoSecondaries>
{
    private readonly TestCluster _cluster = fixture.Cluster;

    /// <summary>A master and two secondaries for the whole class: w can be 1, 2 or 3.</summary>
    public sealed class TwoSecondaries : IAsyncLifetime
    {
        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cluster = await TestCluster.StartAsync(secondaries: 2);
            await Cluster.WaitForWritableAsync();
        }

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    [Theory]
    [InlineData("messages", "{\"content\": \"{0}\"}", 3)] // the default write concern: all
    [InlineData("", "{\"msg\": \"{0}\", \"w\": 3}", 3)]
    [InlineData("message", "{\"message\": \"{0}\", \"w\": 2}", 2)]
    [InlineData("messages", "{\"message\": \"{0}\", \"write_concern\": 2}", 2)]
    [InlineData("messages?w=2", "{\"message\": \"{0}\"}", 2)]
    [InlineData("messages", "{\"value\": \"{0}\", \"w\": 1}", 1)]
    [InlineData("messages", "{\"Message\": \"{0}\", \"W\": \"majority\"}", 2)]
    public async Task ACourseClientsAppendIsWrittenWithTheWriteConcernItAskedFor(string path, string template, int w)
    {
        var message = $"course-{Guid.NewGuid():N}";
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.MasterUrl, path),
            template.Replace("{0}", message, StringComparison.Ordinal));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /{path} answered {(int)response.StatusCode}: {text}");
        var body = JsonSerializer.Deserialize(text, WireJsonContext.Default.AppendMessageResponse)!;
        Assert.Equal(w, body.W);
        Assert.True(body.Acks >= w, $"answered with {body.Acks} acks for w={w}");
        Assert.Equal(message, (await TestCluster.MessagesAsync(_cluster.MasterUrl))[(int)body.Index - 1]);
    }

    [Fact]
    public async Task ANumericIdIsTheIdempotencyKeyAndStandsForTheSameKeyAsItsDigits()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        using var first = await TestCluster.SendRawAsync(HttpMethod.Post, _cluster.MasterUrl, $"{{\"message\": \"hello1\", \"w\": 1, \"id\": {key}}}");
        using var repeat = await TestCluster.SendRawAsync(HttpMethod.Post, _cluster.MasterUrl, $"{{\"message\": \"hello1\", \"w\": 1, \"id\": {key}}}");
        using var asText = await TestCluster.SendRawAsync(HttpMethod.Post, _cluster.MasterUrl, $"{{\"message\": \"hello1\", \"w\": 1, \"id\": \"{key}\"}}");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var original = JsonSerializer.Deserialize(await first.Content.ReadAsStringAsync(), WireJsonContext.Default.AppendMessageResponse)!;
        foreach (var again in new[] { repeat, asText })
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var body = JsonSerializer.Deserialize(await again.Content.ReadAsStringAsync(), WireJsonContext.Default.AppendMessageResponse)!;
            Assert.True(body.Duplicate);
            Assert.Equal(original.Index, body.Index);
        }

        Assert.Single(await TestCluster.MessagesAsync(_cluster.MasterUrl), m => m == "hello1");
    }

    [Fact]
    public async Task GetOnTheRootOfEveryNodeReadsItsMessages()
    {
        await _cluster.AppendOkAsync($"root-{Guid.NewGuid():N}", 3);
        foreach (var node in _cluster.Secondaries.Select(s => s.Url).Prepend(_cluster.MasterUrl))
        {
            using var response = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, node));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var root = JsonSerializer.Deserialize<List<string>>(await response.Content.ReadAsStringAsync());
            Assert.Equal(await TestCluster.MessagesAsync(node), root);
            Assert.NotEmpty(root!);
        }
    }

    [Fact]
    public async Task EveryNodeShowsItsApiPageAtDocsAndTheOldSwaggerLinkLeadsThere()
    {
        foreach (var node in _cluster.Secondaries.Select(s => s.Url).Prepend(_cluster.MasterUrl))
        {
            using var page = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(node, "docs")));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

            using var old = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(node, "swagger")));
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
            Assert.EndsWith("/docs/index.html", old.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheApiDocumentKeepsTheCanonicalShapeAndListsTheAliases()
    {
        using var response = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_cluster.MasterUrl, "openapi/v1.json")));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var append = document.RootElement.GetProperty("paths").GetProperty("/messages").GetProperty("post");

        var schema = append.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["message", "w", "id", "timeoutMs"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["message"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var description = append.GetProperty("description").GetString()!;
        foreach (var alias in new[] { "'msg'", "'content'", "'write_concern'", "?w=", "POST /message" })
        {
            Assert.Contains(alias, description, StringComparison.Ordinal);
        }

        Assert.False(document.RootElement.GetProperty("paths").TryGetProperty("/message", out _), "an alias route is listed as an API of its own");
    }

    [Theory]
    [InlineData("messages", "{\"message\": \"x\", \"wc\": 2}", "'wc'")]
    [InlineData("messages", "{\"mesage\": \"x\", \"w\": 1}", "'mesage'")]
    [InlineData("messages", "{\"message\": \"x\", \"writeConcern\": 1}", "'writeConcern'")]
    [InlineData("messages?wait=1", "{\"message\": \"x\"}", "'wait'")]
    [InlineData("messages", "{\"message\": \"x\", \"msg\": \"y\"}", "'msg'")]
    [InlineData("messages?w=1", "{\"message\": \"x\", \"w\": 1}", "twice")]
    [InlineData("", "{\"message\": \"x\", \"w\": \"most\"}", "write concern")]
    [InlineData("message", "{\"message\": \"x\", \"w\": 0}", "write concern")]
    [InlineData("messages", "{\"message\": \"x\", \"write_concern\": 4}", "write concern")]
    [InlineData("messages?w=lots", "{\"message\": \"x\"}", "write concern")]
    [InlineData("messages", "{\"message\": \"x\", \"id\": 1.5}", "idempotency key")]
    [InlineData("messages", "{\"message\": \"\\ud800\", \"w\": 1}", "not Unicode")]
    [InlineData("messages", "{\"message\": \"x\", \"\\udc00\": 1}", "not Unicode")]
    public async Task WhatIsNotUnderstoodIsA400ThatSaysWhatAndAppendsNothing(string path, string body, string named)
    {
        var before = await TestCluster.MessagesAsync(_cluster.MasterUrl);
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.MasterUrl, path), body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString();
        Assert.Contains(named, detail, StringComparison.Ordinal);
        Assert.Equal(before, await TestCluster.MessagesAsync(_cluster.MasterUrl));
    }

    [Fact]
    public async Task InvalidUtf8InsideAMessageIsA400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_cluster.MasterUrl, "messages"))
        {
            Content = new ByteArrayContent([.. "{\"message\": \""u8, 0xC3, 0x28, .. "\"}"u8]),
        };
        using var response = await TestCluster.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("message")]
    public async Task ASecondaryRefusesACourseClientsAppendWith405(string path)
    {
        using var response = await TestCluster.SendRawAsync(HttpMethod.Post, new Uri(_cluster.Secondaries[0].Url, path), "{\"msg\": \"x\"}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
