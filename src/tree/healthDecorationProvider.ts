// Per-row badges, as vscode-pull-request-github decorates its PR nodes. Each health row's
// `podscope:` resourceUri carries its own badge and health (model/rowDecoration.ts), written with
// the row's text in the same getTreeItem call, so this provider reads nothing else: the badge and
// colour cannot come from another moment than the description and icon beside them.
import * as vscode from 'vscode';
import type { HealthLevel } from '../analysis/workloadHealth';
import { parseDecorationQuery } from './model/rowDecoration';
import { DECORATION_SCHEME } from './nodeTreeDataProvider';

/** The label colour per health; the icon's tone follows the same level (nodeTreeDataProvider.ts). */
const LABEL_COLORS: Partial<Record<HealthLevel, string>> = {
  failed: 'list.errorForeground',
  degraded: 'list.warningForeground',
};

export class HealthDecorationProvider implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== DECORATION_SCHEME) return undefined;
    const decoration = parseDecorationQuery(uri.query);
    if (!decoration) return undefined;
    const colorId = LABEL_COLORS[decoration.health];
    const color = colorId ? new vscode.ThemeColor(colorId) : undefined;
    if (!decoration.badge && !color) return undefined;
    return new vscode.FileDecoration(decoration.badge, decoration.summary, color);
  }
}
