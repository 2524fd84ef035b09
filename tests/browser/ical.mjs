// Reads iCalendar files with ical.js (a calendar parser used by Thunderbird's
// lineage of tools) and prints what it understood, one JSON object a file:
// node ical.mjs FILE...
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function when(time) {
  if (!time) return null;
  if (time.isDate) return { date: time.toString() };
  // An instant: its UTC form, whatever zone the file wrote it in.
  return { utc: time.toJSDate().toISOString() };
}

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      description: event.description,
      start: when(event.startDate),
      end: vevent.hasProperty("dtend") ? when(event.endDate) : null,
      dtstamp: vevent.getFirstPropertyValue("dtstamp")?.toJSDate().toISOString() ?? null,
      url: vevent.getFirstPropertyValue("url"),
    };
  });
  console.log(JSON.stringify({
    file,
    version: calendar.getFirstPropertyValue("version"),
    prodid: calendar.getFirstPropertyValue("prodid"),
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    events,
  }));
}
