// The options of the select menus that pick an API resource (a site, an agent) or a filter value,
// each led by the option of value "" (none chosen, or no filter).
import type { Agent, Site } from "./api/types";
import type { Choice } from "./components/fields";

export function withEmptyChoice(emptyLabel: string, rest: Choice[]): Choice[] {
  return [{ value: "", label: emptyLabel }, ...rest];
}

/** Sites as "name (url)", after `emptyLabel`. */
export function siteChoices(sites: Site[], emptyLabel: string): Choice[] {
  return withEmptyChoice(
    emptyLabel,
    sites.map((site) => ({ value: site.id, label: `${site.name} (${site.url})` })),
  );
}

/** The agent filter of a list: all agents, or one by name. */
export function agentFilterChoices(agents: Agent[]): Choice[] {
  return withEmptyChoice(
    "All agents",
    agents.map((agent) => ({ value: agent.id, label: agent.name })),
  );
}

/** A filter over fixed values: any (`anyLabel`) or one of them. */
export function anyOf(values: readonly string[], anyLabel: string): Choice[] {
  return withEmptyChoice(
    anyLabel,
    values.map((value) => ({ value, label: value })),
  );
}
