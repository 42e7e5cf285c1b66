using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>The language switch on any page keeps the page and what was typed on it but not saved (issue 18): on the
/// server-rendered sign-in form, and on the interactive grading page with a comment typed just before switching.</summary>
public sealed partial class LanguageSwitchTests
{
    static async Task SwitchAsync(IPage page, string language, string buttonName)
    {
        await page.Locator("#language-choice").SelectOptionAsync(language);
        await page.GetByRole(AriaRole.Button, new() { Name = buttonName }).ClickAsync();
        await page.WaitForFunctionAsync("language => document.documentElement.lang === language", language);
    }

    [Fact]
    public async Task SwitchingKeepsThePageAndWhatWasTypedAndTheChoiceFollowsTheUser()
    {
        await using var app = await RunningApp.StartAsync(languages: ["en", "zh-CN"]);
        await app.BrowserJourneyAsync(async browser =>
        {
            var visitor = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
            await visitor.GotoAsync(app.BaseAddress + "/signin?returnUrl=%2Faccounts");
            await visitor.Locator("#username").FillAsync("dr-li");
            await SwitchAsync(visitor, "zh-CN", "Switch language");
            await Expect(visitor).ToHaveURLAsync(new Regex(@"/signin\?returnUrl=%2Faccounts$"));
            await Expect(visitor.Locator("#username")).ToHaveValueAsync("dr-li");
            await Expect(visitor.Locator("a.skip-link")).ToHaveTextAsync("跳到主要内容");

            var rater = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-switch", "Dr Switch");
            await Journeys.FollowAsync(rater, "Start grading", "**/grade");
            await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
            await Journeys.SettleAsync(rater);
            var address = rater.Url;
            const string Text = "NIHSS 复核后为 5 分。";
            // Typed and switched in one go: the comment has not reached the server when the page goes away.
            await rater.EvaluateAsync("""
                ([area, text]) => {
                  area.value = text;
                  area.dispatchEvent(new Event("input", { bubbles: true }));
                  document.getElementById("language-choice").value = "zh-CN";
                  document.querySelector("form[data-language-switch]").requestSubmit();
                }
                """, new object[] { await rater.GetByLabel("Comment").ElementHandleAsync(), Text });
            await rater.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-CN'");
            Assert.Equal(address, rater.Url);
            var comment = rater.Locator("textarea[data-criterion='comment']");
            await Expect(comment).ToHaveValueAsync(Text);
            var handle = await rater.Locator("form[data-response]").GetAttributeAsync("data-response") ?? "";
            await WaitForStoredAsync(app, handle, Text);

            // The choice is the rater's: a new browser shows Chinese once they sign in, whatever it asks for.
            var elsewhere = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
            await elsewhere.GotoAsync(app.BaseAddress + "/signin");
            await elsewhere.Locator("#username").FillAsync("dr-switch");
            await elsewhere.Locator("#password").FillAsync(Journeys.Password);
            await elsewhere.Locator("#password").PressAsync("Enter");
            await elsewhere.WaitForURLAsync(app.BaseAddress + "/");
            Assert.Equal("zh-CN", await elsewhere.GetAttributeAsync("html", "lang"));
        });
    }

    static async Task WaitForStoredAsync(RunningApp app, string handle, string text)
    {
        var response = await StoredRatings.ResponseIdAsync(app.Database, handle);
        for (var waited = 0; waited < 100; waited++)
        {
            if ((await StoredRatings.CurrentAsync(app.Database, "dr-switch", response)).TryGetValue("comment", out var stored) && stored.Value == text) return;
            await Task.Delay(100);
        }
        Assert.Fail("The comment carried across the switch was never saved.");
    }
}
