using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>A rater far from the server (150 ms round trip) clicks the home card's link while Blazor is still starting
/// its circuit: between the circuit's WebSocket handshake and its first render, the click changed the address but the
/// page stayed (dotnet/aspnetcore#49142, #59657). early-clicks.js makes such a click a page load until the interactive
/// router is ready; see docs/reliability.md "Early clicks".</summary>
public sealed class EarlyClickTests
{
    [Fact]
    public async Task ALinkClickedWhileTheCircuitStartsIsFollowed()
    {
        await using var app = await RunningApp.StartAsync();
        await using var proxy = new LatencyProxy(app.Port);
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", proxy.BaseAddress);
            var page = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, "dr-early", "Dr Early");

            for (var attempt = 0; attempt < 3; attempt++)
            {
                // The click lands just after the circuit's handshake answer, before its first render.
                var handshake = new TaskCompletionSource();
                void Watch(object? sender, IWebSocket socket) => socket.FrameReceived += (_, _) => handshake.TrySetResult();
                page.WebSocket += Watch;
                await page.GotoAsync(proxy.BaseAddress);
                await handshake.Task.WaitAsync(TimeSpan.FromSeconds(30));
                page.WebSocket -= Watch;
                await page.GetByRole(AriaRole.Link, new() { Name = "Start grading" }).ClickAsync();

                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/grade$"));
                await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            }
        });
    }
}
