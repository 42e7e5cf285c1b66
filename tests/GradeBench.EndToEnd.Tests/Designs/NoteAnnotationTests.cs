using GradeBench.EndToEnd.Tests.Field;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Designs;

/// <summary>Clinical note annotation in Chromium: a rater marks a passage of the case's note with the mouse and another
/// with the keyboard alone, sets an attribute, and links the first as evidence for a highlight of the answer.</summary>
public sealed class NoteAnnotationTests(ITestOutputHelper output)
{
    const string Study = "notes-walk";
    const string Rater = "dr-notes";

    [Fact]
    public async Task ARaterAnnotatesTheNoteByMouseAndKeyboardAndLinksEvidenceToTheAnswer()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-notes-");
        var bundle = DemoNotes.Write(Path.Combine(folder.Path, "bundle"));
        var studyJson = Path.Combine(bundle, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"id\": \"{TestPaths.DemoStudyId}\"", $"\"id\": \"{Study}\"", StringComparison.Ordinal));
        await app.CliAsync("import", bundle);

        await app.BrowserJourneyAsync(async browser =>
        {
            var rater = await Journeys.JoinAsync(app, browser, Study, "rater", Rater, "Dr Notes");
            await Journeys.FollowAsync(rater, "Start grading", "**/grade");
            var panel = rater.GetByRole(AriaRole.Region, new() { Name = "Annotations of the clinical note" });
            await Expect(panel).ToBeVisibleAsync();

            // The mouse: a double click selects a word of the note, then its label.
            var word = rater.Locator("#case-note strong").First;
            await word.DblClickAsync();
            var byMouse = (await rater.EvaluateAsync<string>("() => getSelection().toString()")).Trim();
            await panel.GetByRole(AriaRole.Button, new() { Name = "NIHSS item" }).ClickAsync();
            await Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Note passage marked as NIHSS item.");

            // The keyboard: Tab to the note, Shift+arrows select, Tab to a label, Enter.
            var note = rater.Locator("#case-note");
            for (var tabs = 0; tabs < 60 && !await note.EvaluateAsync<bool>("e => e === document.activeElement"); tabs++)
                await rater.Keyboard.PressAsync("Tab");
            await Expect(note).ToBeFocusedAsync();
            await rater.Keyboard.PressAsync("Control+ArrowRight");
            for (var i = 0; i < 12; i++) await rater.Keyboard.PressAsync("Shift+ArrowRight");
            var byKeys = (await rater.EvaluateAsync<string>("() => getSelection().toString()")).Trim();
            Assert.NotEmpty(byKeys);
            const string OnSymptom = "() => document.activeElement.classList.contains('note-label-button') && document.activeElement.textContent.trim() === 'Symptom'";
            for (var tabs = 0; tabs < 12 && !await rater.EvaluateAsync<bool>(OnSymptom); tabs++)
                await rater.Keyboard.PressAsync("Tab");
            Assert.True(await rater.EvaluateAsync<bool>(OnSymptom), "Tab from the note reaches its labels");
            await rater.Keyboard.PressAsync("Enter");
            await Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Note passage marked as Symptom.");

            // An attribute by keyboard: the NIHSS passage is negated.
            var nihss = panel.GetByRole(AriaRole.Listitem).Filter(new() { Has = rater.GetByRole(AriaRole.Combobox, new() { Name = $"Label of note passage “{byMouse}”" }) });
            await nihss.GetByRole(AriaRole.Checkbox, new() { Name = "Negated" }).FocusAsync();
            await rater.Keyboard.PressAsync("Space");
            await Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Negated saved.");

            // A highlight of the answer, then the NIHSS passage linked to it as evidence.
            await Journeys.SelectInResponseAsync(rater);
            await rater.Locator(".grade-answer .span-label-button").First.ClickAsync();
            await Expect(rater.GetByRole(AriaRole.Status).Filter(new() { HasText = "Highlighted as" })).ToBeVisibleAsync();
            var link = nihss.GetByRole(AriaRole.Combobox, new() { Name = $"Link note passage “{byMouse}” as evidence for an answer highlight" });
            await link.FocusAsync();
            await Expect(link.Locator("option")).ToHaveCountAsync(2);
            await link.SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Linked as evidence.");
            await Expect(nihss.Locator(".note-link")).ToContainTextAsync("Evidence for");
            // The page with both panels filled in, as axe reads it.
            Assert.Empty(await Accessibility.AxeAudit.AuditAsync(rater));
            await Journeys.ScreenshotAsync(rater, "grade-note-annotation-1366x768", fullPage: false);

            var stored = await Typist.ReadAsync(app.DatabasePath, """
                SELECT group_concat(l.slug || '§' || n.quote || '§' || (SELECT count(*) FROM note_span_attributes v WHERE v.note_span_id = n.id)
                       || '§' || (SELECT count(*) FROM span_links k WHERE k.note_span_id = n.id), '|')
                FROM (SELECT * FROM note_spans ORDER BY start_code_point) n JOIN note_labels l ON l.id = n.label_id JOIN users u ON u.id = n.rater_id
                WHERE u.username = @Rater
                """, new { Rater });
            output.WriteLine($"note passages: mouse \"{byMouse}\", keys \"{byKeys}\", stored {stored}");
            var rows = stored!.Split('|');
            Assert.Equal(2, rows.Length);
            // Label, quote, attributes set, links; a quote is Markdown source: the selected text with any emphasis marks kept.
            Assert.Contains($"nihss§{byMouse}§1§1", rows);
            Assert.Contains(rows, r => r.Split('§') is ["symptom", var quote, "0", "0"] && quote.Replace("*", "").Replace("_", "") == byKeys);
        });
    }
}
