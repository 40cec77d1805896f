using Microsoft.Playwright;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A real browser for the dashboard's pages: Debian's Chromium (<c>apt-get install chromium</c>; another one through
/// <c>REPLICATEDLOG_CHROMIUM</c>) driven by Playwright, headless, closed on dispose.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("REPLICATEDLOG_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {ChromiumPath}: apt-get install chromium (or set REPLICATEDLOG_CHROMIUM).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new page in a context of its own (its own cookies), with a generous default timeout, 1300×900 unless
    /// <paramref name="viewport"/> says otherwise.
    /// </summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1300, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Clicks <paramref name="link"/> and waits until the page is at its address, clicking again (for up to 30 s)
    /// while it is not: the dashboard holds its rows still while the pointer rests on a link, but a redraw already
    /// under way when the pointer arrives still moves them, and the click then hits whatever is under the pointer by
    /// then, as a user's would, who clicks again.
    /// </summary>
    public static async Task FollowAsync(IPage page, ILocator link)
    {
        var href = await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("the link has no href");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await link.ClickAsync();
            try
            {
                await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == href, new() { Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // The click missed the link: the rows moved under it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
