// The counter's voice and bell: "收款到账 12.50 元" spoken with the Web Speech API in the
// shop's language (zh-CN by default), and a short beep through WebAudio. Both are optional and
// fail silently: a browser without a voice must not stop the receipts.

import type { Lang } from "@core/i18n";
import { formatFen } from "@core/money";

export function announcementText(template: string, fen: bigint): string {
  return template.replace("{amount}", formatFen(fen, { style: "plain", grouping: false }));
}

export function speak(text: string, lang: Lang): void {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang === "zh" ? "zh-CN" : "en-US";
  utterance.rate = 1;
  window.speechSynthesis.speak(utterance);
}

let audio: AudioContext | undefined;

/** Two short rising tones, like a counter's payment box. */
export function beep(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.15, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, now + offset + 0.14);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + offset);
      oscillator.stop(now + offset + 0.15);
    }
  } catch {
    // No audio device or autoplay refused: the row on screen is the receipt.
  }
}
