using System.IO.Compression;
using System.Text.Json;
using GradeBench.EndToEnd.Tests.Field;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Designs;

/// <summary>Clinical note annotation in Chromium, both halves. A rater far away (a 150 ms round trip, 1280×720) marks a
/// passage of the case's note with the mouse and another with the keyboard alone, sets an attribute, types a note on a
/// passage and composes another in Chinese, and links the first passage as evidence for a highlight of the answer. A
/// second rater marks the same passages of the same case. The coordinator watches the agreement on highlights and on the
/// note's passages move on the dashboard, reads both on the results page, decides the gold spans and downloads brat and BioC.</summary>
public sealed class NoteAnnotationTests(ITestOutputHelper output)
{
    const string Study = "notes-walk";
    const string Rater = "dr-notes", SecondRater = "dr-notes-two";
    const string TypedNote = "Right arm drift, onset witnessed at 07:40; NIHSS item 5a scored 2 by the stroke nurse.";

    [Fact]
    public async Task RatersAnnotateTheNoteFromAfarAndTheCoordinatorSeesAgreementDecidesGoldSpansAndExportsThem()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-notes-");
        var bundle = DemoNotes.Write(Path.Combine(folder.Path, "bundle"));
        var studyJson = Path.Combine(bundle, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"id\": \"{TestPaths.DemoStudyId}\"", $"\"id\": \"{Study}\"", StringComparison.Ordinal));
        await app.CliAsync("import", bundle);
        await using var proxy = new LatencyProxy(app.Port);

        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", Study, "--role", "rater", "--base-url", proxy.BaseAddress);
            var rater = await (await browser.NewContextAsync(Typist.SmallLaptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(rater, invite, Rater, "Dr Notes");
            await Journeys.FollowAsync(rater, "Start grading", "**/grade");
            var studyUrl = app.BaseAddress + new Uri(rater.Url).AbsolutePath[..new Uri(rater.Url).AbsolutePath.IndexOf("/grade", StringComparison.Ordinal)];
            var (byMouse, byKeys, item) = await AnnotateAsync(app, rater);

            var coordinator = await (await browser.NewContextAsync(Typist.SmallLaptop)).NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(coordinator, app);
            await coordinator.GotoAsync(studyUrl + "/dashboard");
            // The demo's imported ratings have highlights: figures are shown already, over the responses they cover.
            var spanAgreement = coordinator.GetByRole(AriaRole.Region, new() { Name = "Agreement on highlighted spans" });
            var over = spanAgreement.Locator("p.dashboard-note");
            await Expect(over).ToContainTextAsync("Over the ");
            var before = await over.TextContentAsync();
            var noteAgreement = coordinator.GetByRole(AriaRole.Region, new() { Name = "Agreement on note passages" });
            await Expect(noteAgreement).ToBeVisibleAsync();
            var notesBefore = await noteAgreement.TextContentAsync();

            // The second rater, on the same answer of the same case: the same passages, then submits.
            var second = await Journeys.JoinAsync(app, browser, Study, "rater", SecondRater, "Dr Notes Two");
            await Journeys.FollowAsync(second, "Start grading", "**/grade");
            await OpenItemAsync(second, item);
            await Expect(second.GetByRole(AriaRole.Button, new() { Name = "NIHSS item" })).ToBeEnabledAsync();
            await second.Locator("#case-note strong").First.DblClickAsync();
            var secondPanel = second.GetByRole(AriaRole.Region, new() { Name = "Annotations of the clinical note" });
            await secondPanel.GetByRole(AriaRole.Button, new() { Name = "NIHSS item" }).ClickAsync();
            await Expect(secondPanel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Note passage marked as NIHSS item.");
            await HighlightAndSubmitAsync(second);

            // Live: the dashboard counts the answer both raters highlighted without a reload.
            await Expect(over).Not.ToHaveTextAsync(before!);
            output.WriteLine($"dashboard: \"{before}\" became \"{await over.TextContentAsync()}\"");
            await Expect(spanAgreement.GetByRole(AriaRole.Table)).ToContainTextAsync("α");
            // And the passage of the note they both marked.
            await Expect(noteAgreement).Not.ToHaveTextAsync(notesBefore!);
            output.WriteLine($"dashboard notes: \"{notesBefore}\" became \"{await noteAgreement.TextContentAsync()}\"");

            await coordinator.GotoAsync(studyUrl + "/results");
            var results = coordinator.GetByRole(AriaRole.Table, new() { Name = "Agreement on highlighted spans, overall and per label, with 95% intervals" });
            await Expect(results).ToBeVisibleAsync();
            await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Agreement on note passages" })).ToBeVisibleAsync();

            await GoldAsync(coordinator, studyUrl, byMouse, byKeys);
            await DownloadsAsync(coordinator, studyUrl, byMouse);
        });
    }

    /// <summary>The first rater's half, behind the proxy. Returns the passages marked by mouse and by keyboard, and the
    /// item (<see cref="Shown"/>) they were marked on, which the submit leaves for the next.</summary>
    async Task<(string ByMouse, string ByKeys, string Item)> AnnotateAsync(RunningApp app, IPage rater)
    {
        var panel = rater.GetByRole(AriaRole.Region, new() { Name = "Annotations of the clinical note" });
        await Expect(panel).ToBeVisibleAsync();

        // The mouse: a double click selects a word of the note, then its label. The labels are greyed until the page is
        // live; Blazor then renders the page anew, and a selection made before would be gone.
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "NIHSS item" })).ToBeEnabledAsync();
        await rater.Locator("#case-note strong").First.DblClickAsync();
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

        // Typed with no gap between keys behind the 150 ms round trip, and composed in Chinese: stored exactly.
        await nihss.GetByRole(AriaRole.Textbox, new() { Name = $"Note on note passage “{byMouse}”" }).PressSequentiallyAsync(TypedNote);
        await rater.Keyboard.PressAsync("Tab");
        var symptom = panel.GetByRole(AriaRole.Listitem).Filter(new() { Has = rater.GetByRole(AriaRole.Group, new() { NameRegex = new("^Attributes of ") }).GetByRole(AriaRole.Textbox, new() { Name = "Onset time" }) });
        var onset = symptom.GetByRole(AriaRole.Textbox, new() { Name = "Onset time" });
        await Typist.ComposeAsync(rater, onset);
        await rater.Keyboard.PressAsync("Tab");
        var typed = await Typist.StoredAsync(app.Database, "SELECT note FROM note_spans WHERE note IS NOT NULL", new { }, TypedNote);
        var composed = await Typist.StoredAsync(app.Database, "SELECT value FROM note_span_attributes WHERE value <> 'true'", new { }, Typist.Composed);
        output.WriteLine($"passage note typed at 0 ms a key behind 150 ms: {Typist.Kept(typed, TypedNote)}; onset composed: {Typist.Kept(composed, Typist.Composed)}");
        Assert.Equal(TypedNote, typed);
        Assert.Equal(Typist.Composed, composed);
        await Expect(nihss.GetByRole(AriaRole.Textbox, new() { Name = $"Note on note passage “{byMouse}”" })).ToHaveValueAsync(TypedNote);

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
        // The page with both panels filled in, as axe reads it, on the small laptop.
        Assert.Empty(await Accessibility.AxeAudit.AuditAsync(rater));
        await Journeys.ScreenshotAsync(rater, "grade-note-annotation-1280x720", fullPage: false);

        var stored = await Typist.ReadAsync(app.Database, """
            SELECT string_agg(l.slug || '§' || n.quote || '§' || (SELECT count(*) FROM note_span_attributes v WHERE v.note_span_id = n.id)
                   || '§' || (SELECT count(*) FROM span_links k WHERE k.note_span_id = n.id), '|' ORDER BY n.start_code_point)
            FROM note_spans n JOIN note_labels l ON l.id = n.label_id JOIN users u ON u.id = n.rater_id
            WHERE u.username = @Rater
            """, new { Rater });
        output.WriteLine($"note passages: mouse \"{byMouse}\", keys \"{byKeys}\", stored {stored}");
        var rows = stored!.Split('|');
        Assert.Equal(2, rows.Length);
        // Label, quote, attributes set, links; a quote is Markdown source: the selected text with any emphasis marks kept.
        Assert.Contains($"nihss§{byMouse}§1§1", rows);
        Assert.Contains(rows, r => r.Split('§') is ["symptom", var quote, "1", "0"] && quote.Replace("*", "").Replace("_", "") == byKeys);
        var item = await rater.EvaluateAsync<string>(Shown);
        await SubmitAsync(rater);
        return (byMouse, byKeys, item);
    }

    /// <summary>The answer and note a grading page shows.</summary>
    const string Shown = "() => document.getElementById('grade-response').innerText + '§' + document.getElementById('case-note').innerText";

    /// <summary>Moves a rater through their own (differently shuffled) queue to the item that shows <paramref name="item"/>.</summary>
    static async Task OpenItemAsync(IPage rater, string item)
    {
        var heading = rater.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Response \\d+ of \\d+") });
        await Expect(heading).ToBeVisibleAsync();
        for (var step = 0; step < 60 && await rater.EvaluateAsync<string>(Shown) != item; step++)
        {
            var before = await heading.TextContentAsync();
            await rater.GetByRole(AriaRole.Button, new() { Name = "Next", Exact = true }).ClickAsync();
            await Expect(heading).Not.ToHaveTextAsync(before!);
        }
        Assert.Equal(item, await rater.EvaluateAsync<string>(Shown));
    }

    static async Task HighlightAndSubmitAsync(IPage rater)
    {
        await Journeys.SelectInResponseAsync(rater);
        await rater.Locator(".grade-answer .span-label-button").First.ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Status).Filter(new() { HasText = "Highlighted as" })).ToBeVisibleAsync();
        await SubmitAsync(rater);
    }

    static async Task SubmitAsync(IPage rater)
    {
        foreach (var name in Journeys.DemoChoiceCriteria)
            await rater.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
        var progress = await rater.GetByLabel("Progress").TextContentAsync();
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();
        await Expect(rater.GetByLabel("Progress")).Not.ToHaveTextAsync(progress!);
    }

    /// <summary>Span adjudication in the browser: the passage both raters marked is agreed and accepted, the one only the
    /// first rater marked is rejected; the list counts the gold span.</summary>
    async Task GoldAsync(IPage coordinator, string studyUrl, string byMouse, string byKeys)
    {
        await coordinator.GotoAsync(studyUrl + "/dashboard");
        await Journeys.StartAdjudicationAsync(coordinator);
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
        await coordinator.GotoAsync(studyUrl + "/adjudicate/notes");
        var notes = coordinator.GetByRole(AriaRole.Table, new() { Name = "Notes with passages to adjudicate" });
        await Expect(notes.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Journeys.SettleAsync(coordinator);
        await notes.GetByRole(AriaRole.Link).First.ClickAsync();
        await coordinator.WaitForURLAsync("**/adjudicate/notes/*");

        var agreed = coordinator.GetByRole(AriaRole.Region, new() { Name = "Agreed (1)" });
        await Expect(agreed).ToContainTextAsync(byMouse);
        var status = coordinator.Locator("#note-status");
        // Same label and boundaries, but only the first rater set "negated": each version can be accepted.
        await agreed.GetByRole(AriaRole.Button, new() { Name = "Accept Dr Notes's", Exact = true }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Accepted into the gold set.");
        var alone = coordinator.GetByRole(AriaRole.Region, new() { Name = "One rater only (1)" });
        await Expect(alone).ToContainTextAsync(byKeys.Split(' ')[0]);
        await alone.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Rejected: the group gives no gold passage.");
        // The accessibility sweep's checks, on the page with decisions taken.
        Assert.Empty(await Accessibility.PageChecks.AllAsync(coordinator, "gold spans", output.WriteLine));
        await Journeys.ScreenshotAsync(coordinator, "gold-spans-1280x720", fullPage: false);

        await coordinator.GetByRole(AriaRole.Link, new() { Name = "All notes of the study" }).ClickAsync();
        await Expect(notes).ToBeVisibleAsync();
        Assert.Empty(await Accessibility.PageChecks.AllAsync(coordinator, "notes to adjudicate", output.WriteLine));
        var row = notes.GetByRole(AriaRole.Row).Nth(1);
        // Groups, undecided, gold spans.
        await Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("2");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("0");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("1");
    }

    /// <summary>brat and BioC from the Downloads page: one brat folder per rater and the gold set, each with the NIHSS
    /// passage; BioC with the passage at its code points.</summary>
    async Task DownloadsAsync(IPage coordinator, string studyUrl, string byMouse)
    {
        await coordinator.GotoAsync(studyUrl + "/downloads");
        var brat = await coordinator.RunAndWaitForDownloadAsync(() => coordinator.GetByRole(AriaRole.Link, new() { Name = "Download notes-brat.zip", Exact = true }).ClickAsync());
        using var zip = ZipFile.OpenRead(await brat.PathAsync());
        var annotations = zip.Entries.Where(e => e.FullName.EndsWith(".ann", StringComparison.Ordinal))
            .ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
        output.WriteLine($"notes-brat.zip: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        foreach (var owner in new[] { $"raters/{Rater}", $"raters/{SecondRater}", "gold" })
            Assert.Contains(annotations, a => a.Key.StartsWith(owner + "/", StringComparison.Ordinal) && a.Value.Contains($"\tnihss ", StringComparison.Ordinal) && a.Value.Contains(byMouse, StringComparison.Ordinal));
        Assert.DoesNotContain(annotations, a => a.Key.StartsWith("gold/", StringComparison.Ordinal) && a.Value.Contains("\tsymptom ", StringComparison.Ordinal));

        var bioc = await coordinator.RunAndWaitForDownloadAsync(() => coordinator.GetByRole(AriaRole.Link, new() { Name = "Download notes-bioc.json", Exact = true }).ClickAsync());
        var json = await File.ReadAllTextAsync(await bioc.PathAsync());
        using var document = JsonDocument.Parse(json);
        Assert.Contains(byMouse, json, StringComparison.Ordinal);
        Assert.True(document.RootElement.GetProperty("documents").GetArrayLength() > 0);
    }
}
