export interface Account {
  id: string;
  owner: string;
}

export class BillingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BillingError';
  }
}

export class BillingService {
  private readonly accounts = new Map<string, Account>([['a1', { id: 'a1', owner: 'ada' }]]);

  async account(id: string): Promise<Account> {
    await Promise.resolve();
    const found = this.accounts.get(id);
    return found as Account;
  }

  charge(id: string, cents: number): number {
    if (cents <= 0) {
      throw new BillingError(`refusing to charge ${cents} cents to ${id}`);
    }
    return cents;
  }

  async invoice(number: string): Promise<{ number: string; total: number }> {
    const lines = await this.lines(number);
    return { number, total: lines.reduce((sum, line) => sum + line, 0) };
  }

  private async lines(number: string): Promise<number[]> {
    if (!/^INV-\d+$/.test(number)) {
      throw new RangeError(`bad invoice number ${number}`);
    }
    return [100, 250];
  }

  render(number: string, done: (err: Error | null, pdf?: Buffer) => void): void {
    setTimeout(() => {
      done(new Error(`cannot render ${number}`));
    }, 1);
  }
}
