// The boundary to the operator that sends text messages, which is outside our system. The service
// makes the one-time code and checks it (server/src/identity/identities.ts); the gateway only
// delivers it. A real gateway implements this against the operator's API and leaves `shownCode`
// out; SimulatedSmsGateway stands in for it under `npm start` and shows the code in the answer,
// as the simulated bank does, since nothing here can send a text message.

export interface SmsSent {
  /** Only a simulated gateway shows the code here; a real one sends it and leaves this out. */
  shownCode?: string;
}

export interface SmsGateway {
  /** Sends `code` to `phone` (11 digits, mainland China). Rejects when the operator refuses or is unreachable. */
  sendCode(phone: string, code: string): Promise<SmsSent>;
}

export class SimulatedSmsGateway implements SmsGateway {
  async sendCode(_phone: string, code: string): Promise<SmsSent> {
    return { shownCode: code };
  }
}
