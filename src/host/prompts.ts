// The questions and notices of the pod and workload commands, behind an interface so the commands
// can be driven without a person (tests, and later the tree's inline actions).
import * as vscode from 'vscode';

export interface Prompts {
  /** The chosen container, or undefined when the user dismissed the pick. */
  pickContainer(pod: string, containers: readonly string[]): Promise<string | undefined>;
  /** Local and remote port as typed, already checked by `validate`; undefined when dismissed. */
  askPorts(pod: string, validate: (text: string) => string | undefined): Promise<string | undefined>;
  /** A modal question; true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Why a command did nothing (no target, Restricted Mode). */
  notice(message: string): void;
}

export const windowPrompts: Prompts = {
  pickContainer: async (pod, containers) =>
    vscode.window.showQuickPick([...containers], { title: `Container of ${pod}`, placeHolder: 'Container' }),
  askPorts: async (pod, validate) =>
    vscode.window.showInputBox({
      title: `Forward a port of ${pod}`,
      prompt: 'REMOTE, or LOCAL:REMOTE (e.g. 8080 or 18080:8080)',
      validateInput: validate,
    }),
  confirm: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  notice: (message) => void vscode.window.showInformationMessage(message),
};
