/**
 * One-time Monaco setup: the editor worker served by Vite from our own origin
 * (no CDN, works offline) and the BPF language. Only the base editor worker is
 * needed — BPF assembly has no language service worker.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { BPF_LANGUAGE_ID, bpfLanguage, bpfLanguageConfiguration } from './bpf-language.ts';
import './monaco-features.ts';

let done = false;

export function setUpMonaco(): typeof monaco {
  if (done) return monaco;
  done = true;
  self.MonacoEnvironment = {
    getWorker: () => new EditorWorker(),
  };
  monaco.languages.register({ id: BPF_LANGUAGE_ID, extensions: ['.s', '.asm'], aliases: ['BPF assembly', 'bpf'] });
  monaco.languages.setMonarchTokensProvider(BPF_LANGUAGE_ID, bpfLanguage);
  monaco.languages.setLanguageConfiguration(BPF_LANGUAGE_ID, bpfLanguageConfiguration);
  return monaco;
}
