using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>A rater who uses no mouse makes a highlight: Tab to the response, Shift+arrows to select, Tab to a label,
/// Enter. The stored highlight quotes what was selected.</summary>
public sealed class KeyboardHighlightTests(ITestOutputHelper output)
{
    const string Rater = "dr-keys";

    [Fact]
    public async Task AHighlightIsMadeWithTheKeyboardAlone()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            var page = await (await browser.NewContextAsync(Typist.SmallLaptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, Rater, "Dr Keys");
            await Journeys.FollowAsync(page, "Start grading", "**/grade");
            await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            var response = page.GetByRole(AriaRole.Region, new() { NameRegex = new("^Response text") });

            // Tab until the response has focus, as a keyboard user does.
            for (var tabs = 0; tabs < 60 && !await response.EvaluateAsync<bool>("e => e === document.activeElement"); tabs++)
                await page.Keyboard.PressAsync("Tab");
            await Expect(response).ToBeFocusedAsync();
            // Two words along, then ten characters selected.
            await page.Keyboard.PressAsync("Control+ArrowRight");
            await page.Keyboard.PressAsync("Control+ArrowRight");
            for (var i = 0; i < 10; i++) await page.Keyboard.PressAsync("Shift+ArrowRight");
            // A selection may begin with the line break before a paragraph; the stored highlight drops outer spaces.
            var selected = (await page.EvaluateAsync<string>("() => getSelection().toString()")).Trim();
            Assert.NotEmpty(selected);

            // Tab on to the first label (past any table in the response, which takes focus so it can scroll).
            const string OnLabel = "() => document.activeElement.classList.contains('span-label-button')";
            for (var tabs = 0; tabs < 10 && !await page.EvaluateAsync<bool>(OnLabel); tabs++)
                await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>(OnLabel), "Tab from the response reaches the highlight labels");
            var label = await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Highlighted as" })).ToHaveTextAsync($"Highlighted as {label}.");

            var quote = await Typist.ReadAsync(app.Database, """
                SELECT s.quote FROM span_annotations s JOIN users u ON u.id = s.rater_id WHERE u.username = @Rater
                """, new { Rater });
            output.WriteLine($"keyboard highlight: selected \"{selected}\", labelled {label}, stored quote \"{quote}\"");
            // The quote is Markdown source: as read (SpanLocator.Visible), word for word the selected text, across table
            // cells and list items too.
            static string Words(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(Words(selected), Words(GradeBench.Core.Grading.SpanLocator.Visible(quote ?? "")));
        });
    }
}
